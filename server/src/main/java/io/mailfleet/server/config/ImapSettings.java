package io.mailfleet.server.config;

import java.time.Duration;

/**
 * IMAP listeners; ports already include the port offset.
 *
 * @param maxUserIpConnections the cluster-wide limit of sessions per account and client address
 * @param authCacheTtl         how long a successful login is remembered on a node (0 = no login cache)
 * @param utf8Accept           advertise {@code UTF8=ACCEPT} (RFC 6855)
 */
public record ImapSettings(boolean enabled, int port, int tlsPort, int maxUserIpConnections, Duration authCacheTtl,
                           boolean utf8Accept) {
}
