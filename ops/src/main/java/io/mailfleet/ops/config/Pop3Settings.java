package io.mailfleet.ops.config;

/** POP3 listeners; ports already include the port offset. */
public record Pop3Settings(boolean enabled, int port, int tlsPort) {
}
