package io.mailfleet.server.config;

import io.mailfleet.core.ratelimit.RateLimit;
import io.mailfleet.protocols.smtp.ratelimit.SmtpRateLimits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code mailfleet.rate-limits}: cluster-wide SMTP rate limits (Postfix anvil's
 * {@code smtpd_client_connection_rate_limit}, {@code smtpd_client_message_rate_limit},
 * {@code smtpd_client_recipient_rate_limit}, and per-account hourly/daily budgets for authenticated
 * senders), and outbound messages per recipient domain ({@code outboundDomain}, the cluster-wide
 * counterpart of {@code smtp_destination_rate_delay}); every limit 0 (off) by default, as in Postfix.
 */
public record RateLimitSettings(SmtpRateLimits limits, Optional<RateLimit> outboundDomain) {

    private static final String PREFIX = "mailfleet.rate-limits.";

    static RateLimitSettings read(ValueReader r) {
        Optional<RateLimit> connections = limit(r, "client-connections-per-minute", "client-connections", Duration.ofMinutes(1));
        Optional<RateLimit> messages = limit(r, "client-messages-per-minute", "client-messages", Duration.ofMinutes(1));
        Optional<RateLimit> recipients = limit(r, "client-recipients-per-minute", "client-recipients", Duration.ofMinutes(1));
        List<RateLimit> userMessages = new ArrayList<>();
        limit(r, "user-messages-per-hour", "user-messages-hour", Duration.ofHours(1)).ifPresent(userMessages::add);
        limit(r, "user-messages-per-day", "user-messages-day", Duration.ofDays(1)).ifPresent(userMessages::add);
        List<RateLimit> userRecipients = new ArrayList<>();
        limit(r, "user-recipients-per-hour", "user-recipients-hour", Duration.ofHours(1)).ifPresent(userRecipients::add);
        limit(r, "user-recipients-per-day", "user-recipients-day", Duration.ofDays(1)).ifPresent(userRecipients::add);
        Optional<RateLimit> outboundDomain = limit(r, "outbound-domain-messages-per-minute", "outbound-domain",
                Duration.ofMinutes(1));
        return new RateLimitSettings(new SmtpRateLimits(connections, messages, recipients, userMessages, userRecipients),
                outboundDomain);
    }

    private static Optional<RateLimit> limit(ValueReader r, String key, String name, Duration window) {
        long max = r.longIn(PREFIX + key, 0, 1_000_000_000, "a whole number of events, 0 = no limit");
        return max == 0 ? Optional.empty() : Optional.of(new RateLimit(name, window, max));
    }
}
