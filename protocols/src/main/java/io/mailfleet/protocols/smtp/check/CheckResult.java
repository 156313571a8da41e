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
     * Accepted for now, with something later stages must carry. At MAIL FROM: trace header fields
     * prepended to the message at the end of data, and optionally a refusal every RCPT of the transaction
     * gets (Postfix's delayed reject: policyd-spf refuses at RCPT, not at MAIL). At connect: a refusal
     * every RCPT of the session gets (postscreen's {@code enforce}) and what was learnt of the client.
     *
     * @param traceFields complete header fields, each ending in CRLF, prepended above Received: (MAIL only)
     * @param atRcpt      the refusal for every RCPT of the transaction (MAIL) or the session (connect), or null
     * @param listing     the client's DNSBL listing learnt at connect, or null
     */
    record Note(String traceFields, Refuse atRcpt, ClientListing listing) implements CheckResult {
        public Note {
            Objects.requireNonNull(traceFields, "traceFields");
            if (!traceFields.isEmpty() && !traceFields.endsWith("\r\n")) {
                throw new IllegalArgumentException("trace fields must end in CRLF");
            }
        }

        public Note(String traceFields, Refuse atRcpt) {
            this(traceFields, atRcpt, null);
        }

        /** This note and {@code later}'s fields after it; the first refusal and the first listing win. */
        Note and(Note later) {
            return new Note(traceFields + later.traceFields, atRcpt != null ? atRcpt : later.atRcpt,
                    listing != null ? listing : later.listing);
        }
    }

    static CheckResult refuse(SmtpReply reply, String reason) {
        return new Refuse(reply, reason);
    }
}
