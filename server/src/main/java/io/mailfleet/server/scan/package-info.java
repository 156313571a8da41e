/**
 * The external content scanners asked at the end of DATA, before the {@code 250}: clamd (viruses),
 * spamd and Rspamd (spam), each an end-of-data check whose calls go through a {@link
 * io.mailfleet.server.scan.ScannerGuard} (time-out, concurrency limit, circuit breaker).
 */
package io.mailfleet.server.scan;
