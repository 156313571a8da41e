/** The daily DMARC aggregate reports (RFC 7489 section 7.2): XML, gzip, the report mail and the job that sends them through the queue. */
package io.mailfleet.server.inbound.dmarcrpt;
