package io.mailfleet.server.inbound.dmarcrpt;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.core.queue.MailQueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Puts a report mail through the outbound queue from the report address: the bytes into the blob store
 * (on the reports' own thread: blob writes block), then one envelope per destination.
 */
final class ReportQueue {

    private final String from;
    private final MailQueue queue;
    private final BlobStore blobs;
    private final String hostname;
    private final Clock clock;
    private final Executor worker;

    ReportQueue(String from, MailQueue queue, BlobStore blobs, String hostname, Clock clock, Executor worker) {
        this.from = from;
        this.queue = queue;
        this.blobs = blobs;
        this.hostname = hostname;
        this.clock = clock;
        this.worker = worker;
    }

    /** Queues {@code message} to {@code to}; completes with the queue id. */
    CompletionStage<String> enqueue(String to, byte[] message, boolean eightBit) {
        return CompletableFuture.supplyAsync(() -> store(message), worker)
                .thenCompose(ref -> queue.enqueue(new Envelope(from, List.of(EnvelopeRecipient.of(to)),
                        hostname, "127.0.0.1", null, false, null, null, eightBit ? "8BITMIME" : "7BIT", false,
                        clock.instant()), ref));
    }

    private BlobRef store(byte[] message) {
        try (BlobWriter w = blobs.create()) {
            w.write(message, 0, message.length);
            return w.commit().toCompletableFuture().join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
