package io.mailfleet.server.config;

/**
 * Sieve at local delivery ({@code mailfleet.sieve.enabled}) and the per-account script quota
 * ({@code mailfleet.managesieve.max-scripts}, {@code max-script-bytes}) that delivery and ManageSieve share.
 */
public record SieveSettings(boolean enabled, int maxScripts, long maxScriptBytes) {
}
