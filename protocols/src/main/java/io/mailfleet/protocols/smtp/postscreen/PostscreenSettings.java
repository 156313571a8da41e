package io.mailfleet.protocols.smtp.postscreen;

import java.time.Duration;
import java.util.Objects;

/**
 * The pregreet test of port 25.
 *
 * @param enabled   run the test on the MX listener
 * @param action    what a client that talks before the banner gets ({@code POSTSCREEN_ACTION})
 * @param greetWait how long the banner's last line is held back (Postfix's {@code postscreen_greet_wait})
 * @param passTtl   how long a client that passed skips the test (Postfix's {@code postscreen_greet_ttl})
 */
public record PostscreenSettings(boolean enabled, PostscreenAction action, Duration greetWait, Duration passTtl) {

    /** No test: every client gets the one-line banner at once. */
    public static final PostscreenSettings DISABLED =
            new PostscreenSettings(false, PostscreenAction.ENFORCE, Duration.ofSeconds(6), Duration.ofDays(1));

    public PostscreenSettings {
        Objects.requireNonNull(action, "action");
        if (greetWait.isNegative() || greetWait.isZero()) {
            throw new IllegalArgumentException("the postscreen greet wait must be positive");
        }
        if (passTtl.isNegative()) {
            throw new IllegalArgumentException("the postscreen pass TTL must not be negative");
        }
    }
}
