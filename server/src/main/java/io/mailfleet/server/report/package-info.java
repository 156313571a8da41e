/** What the node's aggregate reports (DMARC, TLS-RPT) share: the report mail around their gzip attachment. */
package io.mailfleet.server.report;
