/** What the daily report stores (DMARC aggregate rows, TLS-RPT counts) share: tallies per policy domain and UTC day. */
package io.mailfleet.cluster.report;
