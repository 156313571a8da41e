/** A small non-blocking HTTPS client for outbound transport security: MTA-STS policy fetches and TLS-RPT report uploads. */
package io.mailfleet.protocols.outbound.https;
