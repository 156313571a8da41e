package io.mailfleet.ops.config;

/**
 * IMAP listeners; ports already include the port offset. {@code maxUserIpConnections} is the
 * cluster-wide limit of sessions per account and client address.
 */
public record ImapSettings(boolean enabled, int port, int tlsPort, int maxUserIpConnections) {
}
