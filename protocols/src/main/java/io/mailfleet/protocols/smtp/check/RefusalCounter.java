package io.mailfleet.protocols.smtp.check;

/**
 * Counts the clients the connection-level defences refused, by reason ({@code dnsbl}, {@code pregreet},
 * {@code greylist}, {@code rate-limit}), for the node's metrics. Called on event loops: must not block.
 */
@FunctionalInterface
public interface RefusalCounter {

    /** Counts nothing. */
    RefusalCounter NONE = reason -> { };

    /** One refusal for {@code reason}. */
    void refused(String reason);

    /** {@code check} with each of its refusals counted as {@code reason}; keeps the {@link MxOnly} mark. */
    static <T> SmtpCheck<T> counting(SmtpCheck<T> check, String reason, RefusalCounter counter) {
        if (counter == NONE) {
            return check;
        }
        SmtpCheck<T> counted = attempt -> check.check(attempt).thenApply(r -> {
            if (r instanceof CheckResult.Refuse) {
                counter.refused(reason);
            }
            return r;
        });
        if (check instanceof MxOnly) {
            return new MxOnlyCheck<>(counted);
        }
        return counted;
    }

    /** A counted check that still runs on port 25 only. */
    record MxOnlyCheck<T>(SmtpCheck<T> inner) implements SmtpCheck<T>, MxOnly {
        @Override
        public java.util.concurrent.CompletionStage<CheckResult> check(T attempt) {
            return inner.check(attempt);
        }
    }

    /** Every check of {@code checks} counted as {@code reason}. */
    static SmtpChecks counting(SmtpChecks checks, String reason, RefusalCounter counter) {
        return new SmtpChecks(checks.connect().stream().map(c -> counting(c, reason, counter)).toList(),
                checks.mail().stream().map(c -> counting(c, reason, counter)).toList(),
                checks.rcpt().stream().map(c -> counting(c, reason, counter)).toList());
    }
}
