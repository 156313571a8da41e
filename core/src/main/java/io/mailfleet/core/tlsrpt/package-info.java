/** SMTP TLS reporting (RFC 8460): result types, the per-session outcomes, daily tallies and the {@code _smtp._tls} record. */
package io.mailfleet.core.tlsrpt;
