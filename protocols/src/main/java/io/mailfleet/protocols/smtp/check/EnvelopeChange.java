package io.mailfleet.protocols.smtp.check;

import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A change an end-of-data check (a milter's {@code addrcpt}, {@code delrcpt}, {@code chgfrom}) makes to
 * the envelope the message is queued with: a fact of its {@link CheckResult.Note} or
 * {@link CheckResult.Rewritten}. Every check reads the envelope as received; the changes of all checks
 * are applied in their order when the message is queued, as Postfix's cleanup applies its milters'.
 */
public sealed interface EnvelopeChange {

    /**
     * A recipient added: queued without the RCPT restrictions (as Postfix adds a milter's recipients),
     * expanded and routed by the queue like any other.
     *
     * @param address the address, without angle brackets
     * @param dsnNotify RFC 3461 NOTIFY, or null
     * @param orcpt   RFC 3461 ORCPT, or null
     */
    record AddRecipient(String address, String dsnNotify, String orcpt) implements EnvelopeChange {
        public AddRecipient {
            Objects.requireNonNull(address, "address");
        }
    }

    /** Every recipient whose address equals {@code address} (any case, angle brackets stripped) removed. */
    record DeleteRecipient(String address) implements EnvelopeChange {
        public DeleteRecipient {
            Objects.requireNonNull(address, "address");
        }
    }

    /**
     * The reverse-path replaced.
     *
     * @param address the new sender, empty for the null sender
     * @param ret     RFC 3461 RET to set, or null to keep the received one
     * @param envId   RFC 3461 ENVID to set, or null to keep the received one
     */
    record ChangeSender(String address, String ret, String envId) implements EnvelopeChange {
        public ChangeSender {
            Objects.requireNonNull(address, "address");
        }
    }

    /** Whether {@code facts} hold any envelope change. */
    static boolean any(List<Object> facts) {
        return facts.stream().anyMatch(EnvelopeChange.class::isInstance);
    }

    /** {@code envelope} with the changes among {@code facts} applied in order; itself when there are none. */
    static Envelope apply(Envelope envelope, List<Object> facts) {
        if (!any(facts)) {
            return envelope;
        }
        String sender = envelope.sender();
        String ret = envelope.ret();
        String envId = envelope.envId();
        List<EnvelopeRecipient> recipients = new ArrayList<>(envelope.recipients());
        for (Object f : facts) {
            if (f instanceof AddRecipient a) {
                if (recipients.stream().noneMatch(r -> same(r.address(), a.address()))) {
                    recipients.add(new EnvelopeRecipient(a.address(), a.dsnNotify(), a.orcpt()));
                }
            } else if (f instanceof DeleteRecipient d) {
                recipients.removeIf(r -> same(r.address(), d.address()));
            } else if (f instanceof ChangeSender c) {
                sender = c.address();
                ret = c.ret() != null ? c.ret() : ret;
                envId = c.envId() != null ? c.envId() : envId;
            }
        }
        return new Envelope(sender, recipients, envelope.heloName(), envelope.remoteAddress(),
                envelope.authenticatedUser(), envelope.submission(), ret, envId, envelope.body(), envelope.smtpUtf8(),
                envelope.receivedAt());
    }

    private static boolean same(String a, String b) {
        return strip(a).toLowerCase(Locale.ROOT).equals(strip(b).toLowerCase(Locale.ROOT));
    }

    private static String strip(String address) {
        String s = address.strip();
        return s.startsWith("<") && s.endsWith(">") ? s.substring(1, s.length() - 1) : s;
    }
}
