package io.mailfleet.protocols.outbound;

import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;

import java.util.List;

/**
 * What the client says in MAIL FROM and RCPT TO for one delivery.
 *
 * @param sender     reverse-path without brackets, empty for the null sender
 * @param recipients the recipients for this destination, with their DSN NOTIFY/ORCPT
 * @param ret        RFC 3461 RET or null
 * @param envId      RFC 3461 ENVID or null
 * @param body       the BODY parameter
 * @param smtpUtf8   the message was received with SMTPUTF8
 * @param requireTls the message was received with REQUIRETLS (RFC 8689): only verified TLS, REQUIRETLS on MAIL FROM
 */
public record OutboundEnvelope(String sender, List<EnvelopeRecipient> recipients, String ret, String envId,
                               BodyType body, boolean smtpUtf8, boolean requireTls) {

    /** An envelope without REQUIRETLS. */
    public OutboundEnvelope(String sender, List<EnvelopeRecipient> recipients, String ret, String envId,
                            BodyType body, boolean smtpUtf8) {
        this(sender, recipients, ret, envId, body, smtpUtf8, false);
    }

    public OutboundEnvelope {
        if (sender == null) {
            throw new IllegalArgumentException("sender is null (use \"\" for the null sender)");
        }
        if (recipients == null || recipients.isEmpty()) {
            throw new IllegalArgumentException("a delivery needs at least one recipient");
        }
        recipients = List.copyOf(recipients);
        for (EnvelopeRecipient r : recipients) {
            if (r.address() == null || r.address().isBlank() || !r.address().contains("@")) {
                throw new IllegalArgumentException("invalid recipient address '" + r.address() + "'");
            }
        }
        if (body == null) {
            body = BodyType.SEVEN_BIT;
        }
    }

    /** The envelope of a queued message, restricted to the recipients of one destination. */
    public static OutboundEnvelope of(Envelope envelope, List<EnvelopeRecipient> recipients) {
        return of(envelope, recipients, false);
    }

    /** As {@link #of(Envelope, List)}, with the RFC 8689 REQUIRETLS tag the queue kept for the message. */
    public static OutboundEnvelope of(Envelope envelope, List<EnvelopeRecipient> recipients, boolean requireTls) {
        return new OutboundEnvelope(envelope.sender(), recipients, envelope.ret(), envelope.envId(),
                BodyType.of(envelope.body()), envelope.smtpUtf8(), requireTls);
    }

    /** True when the remote must support SMTPUTF8: flagged on receipt, or a non-ASCII address. */
    public boolean needsSmtpUtf8() {
        if (smtpUtf8 || !isAscii(sender)) {
            return true;
        }
        return recipients.stream().anyMatch(r -> !isAscii(r.address()));
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }
}
