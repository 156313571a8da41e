package io.mailfleet.core.service;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Hands queued messages to other mail servers (MX or relay). Implemented by the protocols module over
 * its outbound SMTP client; the queue partitions call it for their remote targets.
 */
public interface RemoteTransport {

    /**
     * Delivers one message to remote recipients, choosing routes (MX lookup or relay) per recipient.
     * Never completes exceptionally: every failure is a per-recipient outcome.
     *
     * @param envelope       the envelope to announce (its sender may already be SRS-rewritten)
     * @param recipients     the remote recipients of this attempt, with their NOTIFY/ORCPT
     * @param blob           the stored message
     * @param prependHeaders header lines (CRLF-terminated) sent before the stored bytes, e.g. a
     *                       DKIM-Signature; empty for none
     * @return one outcome per recipient, in the order given
     */
    CompletionStage<List<RecipientOutcome>> send(Envelope envelope, List<EnvelopeRecipient> recipients, BlobRef blob,
                                                 byte[] prependHeaders);

    /**
     * As {@link #send(Envelope, List, BlobRef, byte[])}; with {@code requireTls} (the message was received
     * with RFC 8689 REQUIRETLS) only over verified TLS to servers that offer REQUIRETLS. A transport
     * that cannot do that fails every recipient permanently ({@code 5.7.30}), never relays without it.
     */
    default CompletionStage<List<RecipientOutcome>> send(Envelope envelope, List<EnvelopeRecipient> recipients,
                                                         BlobRef blob, byte[] prependHeaders, boolean requireTls) {
        if (!requireTls) {
            return send(envelope, recipients, blob, prependHeaders);
        }
        return java.util.concurrent.CompletableFuture.completedFuture(recipients.stream()
                .map(r -> new RecipientOutcome(r, Kind.PERMANENT, "5.7.30",
                        "REQUIRETLS support required: this transport cannot relay with REQUIRETLS", "none", false))
                .toList());
    }

    /** What happened to a recipient in one attempt. */
    enum Kind {
        /** The remote server took responsibility. */
        DELIVERED,
        /** Try again later (4xx, timeouts, DNS trouble, TLS required but unavailable). */
        TEMPORARY,
        /** Never deliverable (5xx, null MX, no such domain). */
        PERMANENT
    }

    /**
     * The outcome for one recipient.
     *
     * @param recipient  the recipient as given
     * @param kind       delivered, temporary or permanent
     * @param status     RFC 3463 status such as {@code 2.0.0}, {@code 4.4.1} or {@code 5.1.1}
     * @param diagnostic the remote reply or a local explanation, one line
     * @param relay      the host that answered ({@code name[ip]:port}) or {@code none}
     * @param remoteDsn  the remote accepted DSN parameters (so it, not we, owes success notices)
     */
    record RecipientOutcome(EnvelopeRecipient recipient, Kind kind, String status, String diagnostic, String relay,
                            boolean remoteDsn) {
    }
}
