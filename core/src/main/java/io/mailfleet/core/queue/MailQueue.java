package io.mailfleet.core.queue;

import io.mailfleet.core.blob.BlobRef;

import java.util.concurrent.CompletionStage;

/**
 * The durable queue the SMTP front-end hands accepted messages to. Implemented by the cluster module
 * with {@code QueuePartition} entities.
 */
public interface MailQueue {

    /**
     * Persists the envelope with its already-durable blob. Completes with the queue id only after the
     * queue event is persisted; only then may the client be told {@code 250}. Completes exceptionally
     * when that could not be made sure (the client must then get a 4xx).
     */
    CompletionStage<String> enqueue(Envelope envelope, BlobRef message);

    /**
     * As {@link #enqueue(Envelope, BlobRef)}, with the RFC 8689 REQUIRETLS tag persisted with the
     * message when {@code requireTls}. A queue that cannot keep the tag refuses the message (the client
     * gets a 4xx) rather than relaying it without the requirement.
     */
    default CompletionStage<String> enqueue(Envelope envelope, BlobRef message, boolean requireTls) {
        if (requireTls) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                    new UnsupportedOperationException("this queue cannot keep the REQUIRETLS tag"));
        }
        return enqueue(envelope, message);
    }

    /**
     * As {@link #enqueue(Envelope, BlobRef, boolean)}, with the message's parse made at the end of its
     * data ({@code parsed} of {@code message}, or null), which the queue uses for the delivery it starts
     * instead of parsing the message again. The parse is never persisted: a queue that restarts, or that
     * does not keep it, parses the message when it delivers it.
     */
    default CompletionStage<String> enqueue(Envelope envelope, BlobRef message, boolean requireTls,
                                            io.mailfleet.core.mime.ParsedMessage parsed) {
        return enqueue(envelope, message, requireTls);
    }
}
