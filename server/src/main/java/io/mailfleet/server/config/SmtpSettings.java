package io.mailfleet.server.config;

import java.time.Duration;
import java.util.List;

/**
 * SMTP listeners and policy; ports already include the port offset.
 *
 * @param trustedNetworks the explicit {@code TRUSTED_NETWORKS} plus what {@code PERMIT_DOCKER} adds
 * @param trustLoopback   {@code TRUSTED_NETWORKS} is unset: the loopback networks are trusted too
 */
public record SmtpSettings(int port,
                           int submissionPort,
                           int submissionsPort,
                           long messageSizeLimit,
                           int maxRecipients,
                           boolean smtputf8,
                           BareNewline bareNewline,
                           boolean spoofProtection,
                           List<String> trustedNetworks,
                           String recipientDelimiter,
                           Duration idleTimeout,
                           int hardErrorLimit,
                           int clientConnectionLimit,
                           boolean trustLoopback) {

    /** Postfix's default mynetworks on a host: the loopback networks. */
    public static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1/128");

    public SmtpSettings {
        trustedNetworks = List.copyOf(trustedNetworks);
    }

    /**
     * The networks that may relay without authentication and skip the connection defences: the loopback
     * networks while {@code TRUSTED_NETWORKS} is unset (an explicit list replaces them), then
     * {@link #trustedNetworks()} (the explicit list and what {@code PERMIT_DOCKER} adds).
     */
    public List<String> effectiveTrustedNetworks() {
        if (!trustLoopback) {
            return trustedNetworks;
        }
        java.util.List<String> all = new java.util.ArrayList<>(LOOPBACK);
        trustedNetworks.stream().filter(n -> !all.contains(n)).forEach(all::add);
        return List.copyOf(all);
    }

    /** Handling of a bare LF inside DATA. */
    public enum BareNewline { REJECT, NORMALIZE }
}
