package io.mailfleet.server.config;

/** Quota enforcement and the default quota in bytes (0 = unlimited). */
public record QuotaSettings(boolean enabled, long defaultLimit) {
}
