package io.mailfleet.cluster.delivery.report;

import io.mailfleet.cluster.queue.MessageProgress;
import io.mailfleet.cluster.queue.OutboundPolicy;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.dsn.BounceBuilder;
import io.mailfleet.core.dsn.DsnReport;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.core.queue.MailQueue;
import io.mailfleet.core.srs.Srs;
import io.mailfleet.core.srs.SrsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Builds one RFC 3464 report for a message (streaming the returned original from its blob into a new
 * blob) and queues it from the null sender, so it is delivered like any other mail and can never
 * cause a report itself.
 */
public final class ReportSender {
    private static final Logger LOG = LoggerFactory.getLogger(ReportSender.class);

    private final OutboundPolicy policy;
    private final BlobStore blobs;
    private final Supplier<MailQueue> queue;
    private final Executor blocking;
    private final BounceBuilder builder;

    public ReportSender(OutboundPolicy policy, BlobStore blobs, Supplier<MailQueue> queue, Executor blocking) {
        this.policy = policy;
        this.blobs = blobs;
        this.queue = queue;
        this.blocking = blocking;
        this.builder = new BounceBuilder(policy.hostname(), Clock.systemUTC());
    }

    /** Completes with the queue id of the report. */
    public CompletionStage<String> send(QueuedMessage m, MessageProgress p, List<Integer> indices, List<Integer> delayed) {
        String to = recipientFor(m.envelope().sender());
        DsnReport report = Reports.build(m, p, indices, delayed, policy.retry(), to);
        return CompletableFuture.supplyAsync(() -> store(m, report), blocking)
                .thenCompose(ref -> queue.get().enqueue(new Envelope(BounceBuilder.reportEnvelopeSender(),
                        List.of(EnvelopeRecipient.of(to)), policy.hostname(), "127.0.0.1", null, false, null, null,
                        "8BITMIME", false, Instant.now()), ref));
    }

    /** The sender, or the original sender behind one of our SRS addresses. */
    String recipientFor(String sender) {
        return policy.unwrapSrs(sender);
    }

    private BlobRef store(QueuedMessage m, DsnReport report) {
        try {
            return write(report, blobs.open(m.blob()));
        } catch (IOException unreadable) {
            // Better a report without the returned message than none at all.
            LOG.warn("queue={} original unreadable for its report ({}); returned without it", m.queueId(), unreadable.toString());
            try {
                return write(report, new ByteArrayInputStream(new byte[0]));
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }
    }

    private BlobRef write(DsnReport report, InputStream original) throws IOException {
        try (original; InputStream in = builder.build(report, original); BlobWriter w = blobs.create()) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) != -1) {
                w.write(buf, 0, n);
            }
            return w.commit().toCompletableFuture().join();
        }
    }
}
