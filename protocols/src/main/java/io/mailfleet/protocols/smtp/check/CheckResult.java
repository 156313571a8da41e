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

    /**
     * Accepted for now, with something the transaction must carry (only meaningful at MAIL FROM): trace
     * header fields prepended to the message at the end of data, and optionally a refusal every RCPT of
     * the transaction gets (Postfix's delayed reject: policyd-spf refuses at RCPT, not at MAIL).
     *
     * @param traceFields complete header fields, each ending in CRLF, prepended above Received:
     * @param atRcpt      the refusal for every RCPT of the transaction, or null
     * @param facts       results later stages of the transaction read (at MAIL: the SPF outcome, which the
     *                    end-of-data checks find in {@link MessageStart#fact})
     */
    record Note(String traceFields, Refuse atRcpt, java.util.List<Object> facts) implements CheckResult {
        public Note {
            Objects.requireNonNull(traceFields, "traceFields");
            if (!traceFields.isEmpty() && !traceFields.endsWith("\r\n")) {
                throw new IllegalArgumentException("trace fields must end in CRLF");
            }
            facts = java.util.List.copyOf(facts);
        }

        /** A note without facts. */
        public Note(String traceFields, Refuse atRcpt) {
            this(traceFields, atRcpt, java.util.List.of());
        }

        /** This note and {@code later}'s fields after it; the first refusal wins. */
        Note and(Note later) {
            java.util.List<Object> all = new java.util.ArrayList<>(facts);
            all.addAll(later.facts);
            return new Note(traceFields + later.traceFields, atRcpt != null ? atRcpt : later.atRcpt, all);
        }
    }

    static CheckResult refuse(SmtpReply reply, String reason) {
        return new Refuse(reply, reason);
    }
}
