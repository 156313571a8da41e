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
     * Accepted for now, with something later stages must carry: trace header fields prepended to the
     * message at the end of data, optionally a refusal every RCPT gets (Postfix's delayed reject:
     * policyd-spf refuses at RCPT, not at MAIL), the client's DNSBL listing learnt at connect, and facts
     * for the end-of-data checks.
     *
     * @param traceFields complete header fields, each ending in CRLF, prepended above Received: (MAIL only)
     * @param atRcpt      the refusal for every RCPT of the transaction (MAIL) or the session (connect), or null
     * @param listing     the client's DNSBL listing learnt at connect, or null
     * @param facts       results later stages of the transaction read (at MAIL: the SPF outcome, which the
     *                    end-of-data checks find in {@link MessageStart#fact})
     */
    record Note(String traceFields, Refuse atRcpt, ClientListing listing, java.util.List<Object> facts)
            implements CheckResult {
        public Note {
            Objects.requireNonNull(traceFields, "traceFields");
            if (!traceFields.isEmpty() && !traceFields.endsWith("\r\n")) {
                throw new IllegalArgumentException("trace fields must end in CRLF");
            }
            facts = java.util.List.copyOf(facts);
        }

        /** A note with trace fields and a delayed refusal only. */
        public Note(String traceFields, Refuse atRcpt) {
            this(traceFields, atRcpt, null, java.util.List.of());
        }

        /** A note with a DNSBL listing. */
        public Note(String traceFields, Refuse atRcpt, ClientListing listing) {
            this(traceFields, atRcpt, listing, java.util.List.of());
        }

        /** A note with facts. */
        public Note(String traceFields, Refuse atRcpt, java.util.List<Object> facts) {
            this(traceFields, atRcpt, null, facts);
        }

        /** This note and {@code later}'s after it; the first refusal and the first listing win, facts add up. */
        Note and(Note later) {
            java.util.List<Object> all = new java.util.ArrayList<>(facts);
            all.addAll(later.facts);
            return new Note(traceFields + later.traceFields, atRcpt != null ? atRcpt : later.atRcpt,
                    listing != null ? listing : later.listing, all);
        }
    }

    /**
     * Accepted with the message rewritten by an end-of-data check (a milter's header changes or body
     * replacement): {@code message} is queued instead of the received one, with {@code traceFields}
     * (and those of later checks) prepended. Later checks still read the received message.
     *
     * @param message     the rewritten message, committed to the blob store
     * @param size        its length in octets
     * @param traceFields complete header fields, each ending in CRLF, prepended to it
     * @param facts       the facts of the notes of other checks (such as {@link DropFields})
     */
    record Rewritten(io.mailfleet.core.blob.BlobRef message, long size, String traceFields, java.util.List<Object> facts)
            implements CheckResult {
        public Rewritten {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(traceFields, "traceFields");
            facts = java.util.List.copyOf(facts);
        }

        /** A rewrite with trace fields and no facts. */
        public Rewritten(io.mailfleet.core.blob.BlobRef message, long size, String traceFields) {
            this(message, size, traceFields, java.util.List.of());
        }

        /** This rewrite with the trace fields of a later check's note after its own, and its facts. */
        Rewritten and(Note later) {
            java.util.List<Object> all = new java.util.ArrayList<>(facts);
            all.addAll(later.facts());
            return new Rewritten(message, size, traceFields + later.traceFields(), all);
        }

        /** This rewrite with the trace fields of an earlier check's note before its own, and its facts. */
        Rewritten after(Note earlier) {
            java.util.List<Object> all = new java.util.ArrayList<>(earlier.facts());
            all.addAll(facts);
            return new Rewritten(message, size, earlier.traceFields() + traceFields, all);
        }
    }

    static CheckResult refuse(SmtpReply reply, String reason) {
        return new Refuse(reply, reason);
    }
}
