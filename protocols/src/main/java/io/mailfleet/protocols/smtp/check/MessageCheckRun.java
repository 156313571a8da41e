package io.mailfleet.protocols.smtp.check;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The end-of-data checks of one message, opened when its data starts: feeds each the stored bytes and
 * asks them in order at the end. A check that throws while observing is not asked to decide; its
 * decision is a failure instead, which refuses the message with {@code 451 4.3.5} (never accepted
 * unchecked, never lost: the client still holds it).
 */
public final class MessageCheckRun {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.smtp");

    private final List<Opened> opened;

    private MessageCheckRun(List<Opened> opened) {
        this.opened = opened;
    }

    /** Opens every check of {@code checks} that concerns the message; null when none does. */
    public static MessageCheckRun open(List<DataCheck> checks, MessageStart start) {
        List<Opened> opened = new ArrayList<>();
        for (DataCheck c : checks) {
            MessageCheck m;
            try {
                m = c.open(start);
            } catch (RuntimeException e) {
                m = new Failed(e);
            }
            if (m != null) {
                opened.add(new Opened(c.getClass().getSimpleName(), m));
            }
        }
        return opened.isEmpty() ? null : new MessageCheckRun(opened);
    }

    /** Passes stored bytes to every check; {@code stored}'s position is left where it was. */
    public void observe(ByteBuffer stored) {
        for (Opened o : opened) {
            if (o.failure != null) {
                continue;
            }
            try {
                o.check.observe(stored.asReadOnlyBuffer());
            } catch (RuntimeException e) {
                LOG.warn("end-of-data check {} failed while reading the message: {}", o.name, e.toString());
                o.failure = e;
            }
        }
    }

    /** The checks' decisions in order, the first refusal winning; notes gathered as {@link SmtpChecks#inOrder} does. */
    public CompletableFuture<CheckResult> decide(MessageAttempt attempt) {
        List<SmtpCheck<MessageAttempt>> steps = new ArrayList<>();
        for (Opened o : opened) {
            steps.add(new Step(o));
        }
        return SmtpChecks.inOrder(steps, attempt);
    }

    /** Tells every check the message will not be decided on. */
    public void abandon() {
        for (Opened o : opened) {
            try {
                o.check.abandon();
            } catch (RuntimeException e) {
                LOG.debug("end-of-data check {} failed to abandon: {}", o.name, e.toString());
            }
        }
    }

    private static final class Opened {
        final String name;
        final MessageCheck check;
        RuntimeException failure;

        Opened(String name, MessageCheck check) {
            this.name = name;
            this.check = check;
        }
    }

    /** One check as a step of {@link SmtpChecks#inOrder}, named after it in the failure log line. */
    private record Step(Opened opened) implements SmtpCheck<MessageAttempt> {
        @Override
        public CompletionStage<CheckResult> check(MessageAttempt attempt) {
            if (opened.failure != null) {
                return CompletableFuture.failedFuture(new IllegalStateException(opened.name, opened.failure));
            }
            return opened.check.decide(attempt).handle((r, err) -> {
                if (err != null) {
                    throw new IllegalStateException(opened.name + ": " + err, err);
                }
                return r;
            });
        }
    }

    /** A check whose opening threw: it refuses the message temporarily at the end. */
    private record Failed(RuntimeException error) implements MessageCheck {
        @Override
        public CompletionStage<CheckResult> decide(MessageAttempt attempt) {
            return CompletableFuture.failedFuture(error);
        }
    }
}
