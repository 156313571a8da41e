package io.mailfleet.server.config;

/**
 * POP3 listeners; ports already include the port offset. {@code maxUserIpConnections} is the
 * cluster-wide limit of sessions per account and client address.
 */
public record Pop3Settings(boolean enabled, int port, int tlsPort, int maxUserIpConnections) {
}
