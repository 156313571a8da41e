package io.mailfleet.server.api;

import io.mailfleet.cluster.queue.DeliveryTarget;
import io.mailfleet.cluster.queue.QueueEntry;
import io.mailfleet.core.queue.EnvelopeRecipient;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Selection of queued messages: sender and recipient match case-insensitively as substrings (a
 * recipient matches an envelope recipient or a final target), status by {@link QueueState}, age by
 * a minimum time in the queue.
 */
public record QueueFilter(Optional<String> sender, Optional<String> recipient, Optional<QueueState> status,
                          Optional<Duration> olderThan) {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(s|m|h|d|w)?", Pattern.CASE_INSENSITIVE);

    /** Everything queued. */
    public static QueueFilter all() {
        return new QueueFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** True when {@code e} is selected at time {@code now}. */
    public boolean matches(QueueEntry e, Instant now) {
        if (sender.isPresent() && !contains(e.message().envelope().sender(), sender.get())) {
            return false;
        }
        if (recipient.isPresent() && !hasRecipient(e, recipient.get())) {
            return false;
        }
        if (status.isPresent() && QueueState.of(e) != status.get()) {
            return false;
        }
        return olderThan.isEmpty()
                || Duration.between(e.message().envelope().receivedAt(), now).compareTo(olderThan.get()) >= 0;
    }

    private static boolean hasRecipient(QueueEntry e, String wanted) {
        for (EnvelopeRecipient r : e.message().envelope().recipients()) {
            if (contains(r.address(), wanted)) {
                return true;
            }
        }
        for (DeliveryTarget t : e.message().targets()) {
            if (contains(t.address(), wanted)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(String value, String part) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
    }

    /**
     * Parses an age such as {@code 90s}, {@code 30m}, {@code 4h}, {@code 2d} or {@code 1w} (a bare
     * number is seconds); throws IllegalArgumentException naming the value otherwise.
     */
    public static Duration parseAge(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid age '" + text + "': use a number with s, m, h, d or w (e.g. 30m, 2d)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            case "w" -> Duration.ofDays(7 * n);
            default -> Duration.ofSeconds(n);
        };
    }
}
