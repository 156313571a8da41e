package io.mailfleet.ops.config;

/** IMAP listeners; ports already include the port offset. */
public record ImapSettings(boolean enabled, int port, int tlsPort) {
}
