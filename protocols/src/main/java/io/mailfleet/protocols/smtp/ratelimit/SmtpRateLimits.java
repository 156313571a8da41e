package io.mailfleet.protocols.smtp.ratelimit;

import io.mailfleet.core.ratelimit.RateLimit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The configured limits; an empty one is off.
 *
 * @param clientConnections connections per client address (IPv6: per /64)
 * @param clientMessages    MAIL FROM per client address
 * @param clientRecipients  RCPT TO per client address
 * @param userMessages      MAIL FROM per authenticated account (an hourly and a daily limit, or fewer)
 * @param userRecipients    RCPT TO per authenticated account
 */
public record SmtpRateLimits(Optional<RateLimit> clientConnections, Optional<RateLimit> clientMessages,
                             Optional<RateLimit> clientRecipients, List<RateLimit> userMessages,
                             List<RateLimit> userRecipients) {

    /** No limit. */
    public static final SmtpRateLimits NONE = new SmtpRateLimits(Optional.empty(), Optional.empty(), Optional.empty(),
            List.of(), List.of());

    public SmtpRateLimits {
        Objects.requireNonNull(clientConnections, "clientConnections");
        Objects.requireNonNull(clientMessages, "clientMessages");
        Objects.requireNonNull(clientRecipients, "clientRecipients");
        userMessages = List.copyOf(userMessages);
        userRecipients = List.copyOf(userRecipients);
    }

    /** Whether any limit is on. */
    public boolean any() {
        return clientConnections.isPresent() || clientMessages.isPresent() || clientRecipients.isPresent()
                || !userMessages.isEmpty() || !userRecipients.isEmpty();
    }
}
