package io.mailfleet.protocols.auth;

import java.time.Duration;

/**
 * How a session treats failed logins, the same for every protocol (Dovecot's defaults): the session
 * is closed after {@code maxFailures} failed authentications, and every failure is answered no
 * sooner than {@code failureDelay} after the attempt began ({@code auth_failure_delay}).
 *
 * @param maxFailures  failed authentications per connection before the server closes it (1..1000)
 * @param failureDelay minimum time between an attempt and its failure reply (0..60 s)
 */
public record LoginPolicy(int maxFailures, Duration failureDelay) {

    /** Dovecot's values: 3 failures, 2 seconds. */
    public static final LoginPolicy DEFAULTS = new LoginPolicy(3, Duration.ofSeconds(2));

    public LoginPolicy {
        if (maxFailures < 1 || maxFailures > 1000) {
            throw new IllegalArgumentException("max-failures must be 1..1000, not " + maxFailures);
        }
        if (failureDelay == null || failureDelay.isNegative() || failureDelay.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("failure-delay must be 0..60s, not " + failureDelay);
        }
    }
}
