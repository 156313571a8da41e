package io.mailfleet.protocols.smtp.check;

import io.mailfleet.protocols.smtp.SmtpReply;

import java.util.Objects;

/** What an {@link SmtpCheck} decided. */
public sealed interface CheckResult {

    /** The one acceptance; the next check runs. */
    CheckResult ACCEPT = new Accept();

    /** The command goes on to the next check, or is accepted when none is left. */
    record Accept() implements CheckResult {
    }

    /**
     * The command is refused with {@code reply}; no later check runs.
     *
     * @param reason a short reason for the log line of the decision
     */
    record Refuse(SmtpReply reply, String reason) implements CheckResult {
        public Refuse {
            Objects.requireNonNull(reply, "reply");
            Objects.requireNonNull(reason, "reason");
            if (!reply.isError()) {
                throw new IllegalArgumentException("a refusal needs a 4xx or 5xx reply, got " + reply);
            }
        }
    }

    static CheckResult refuse(SmtpReply reply, String reason) {
        return new Refuse(reply, reason);
    }
}
