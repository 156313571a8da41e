package io.mailfleet.server.config;

/** ManageSieve listener; the port already includes the port offset. */
public record ManageSieveSettings(boolean enabled, int port) {
}
