/** The daily TLS-RPT reports (RFC 8460): JSON, gzip, the report mail and the job that sends them through the queue. */
package io.mailfleet.server.outbound.tlsrpt;
