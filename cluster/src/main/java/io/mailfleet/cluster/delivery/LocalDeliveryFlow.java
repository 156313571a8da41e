package io.mailfleet.cluster.delivery;

import io.mailfleet.cluster.delivery.checks.CheckInput;
import io.mailfleet.cluster.delivery.checks.CheckResult;
import io.mailfleet.cluster.delivery.checks.InboundChecks;
import io.mailfleet.cluster.delivery.checks.Verdict;
import io.mailfleet.cluster.delivery.local.MailboxDelivery;
import io.mailfleet.cluster.delivery.sieve.SieveDelivery;
import io.mailfleet.cluster.mailbox.MailboxEntity;
import io.mailfleet.cluster.queue.DeliveryTarget;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.cluster.queue.SievePlan;
import io.mailfleet.cluster.queue.TargetStatus;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.mime.ParsedMessage;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.Supervision;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The local delivery stages of one queue partition as a Pekko stream: inbound checks → Sieve →
 * mailbox, for targets the partition admits (docs/architecture.md, "The path of a message").
 *
 * <p>Back-pressure: the partition admits a target only while it holds a slot of its
 * {@code DeliveryGate} (a few per mailbox, a bounded number in all), and the stream's buffer and
 * parallelism are that bound, so an offer never finds the stream full; everything not admitted stays
 * pending in the partition's durable state. The mailbox side batches what arrives together into one
 * journal write ({@code DeliveryBatcher}). No stage fails the stream: every failure becomes a
 * {@link Result.Deferred} and the target is tried again.
 */
public final class LocalDeliveryFlow {

    /** Folder quarantined mail is stored in (the mailbox creates it when missing, like Sieve's fileinto). */
    public static final String QUARANTINE_FOLDER = "Junk";

    /**
     * One local target to deliver.
     *
     * @param parsed the message as parsed at the start of its delivery
     * @param plan   the persisted decision for the target, or null when checks and Sieve still have to decide
     */
    public record Job(QueuedMessage message, int index, ParsedMessage parsed, SievePlan plan) {
        public String key() {
            return message.queueId() + "#" + index;
        }

        public DeliveryTarget target() {
            return message.targets().get(index);
        }
    }

    /** How the partition answered a decision it was asked to record. */
    public enum Recorded {
        /** Persisted; the target goes on to its mailbox. */
        STORE,
        /** Persisted with a final status (rejected, discarded, redirected away): nothing to store. */
        FINISHED,
        /** The message is not queued any more (deleted by an operator meanwhile). */
        GONE
    }

    /** What became of a job. */
    public sealed interface Result {
        Job job();

        /** Stored in every folder of {@code plan}; the mailbox's answers in plan order. */
        record Stored(Job job, SievePlan plan, List<MailboxEntity.Delivered> answers) implements Result {
        }

        /** The decision gave the target its final status (the partition logged it when it persisted it). */
        record Finished(Job job) implements Result {
        }

        /** The message left the queue meanwhile. */
        record Gone(Job job) implements Result {
        }

        /** Not now: {@code stage} (checks, sieve, parse, mailbox) could not do its part; tried again later. */
        record Deferred(Job job, String stage, String reason) implements Result {
        }
    }

    /** What the flow needs from its node. */
    public record Stages(InboundChecks checks, SieveDelivery sieve, MailboxDelivery mailboxes, BlobStore blobs,
                         Executor blocking) {
    }

    private final Stages stages;
    private final BiFunction<Job, SieveDelivery.Outcome, CompletionStage<Recorded>> recorder;
    private final BoundedSourceQueue<Job> queue;

    /**
     * Materializes the stream.
     *
     * @param capacity    most jobs in the stream at once (the partition's total delivery slots)
     * @param recorder    persists a decision through the partition before anything of it happens
     * @param results     receives every job's result (the partition's mailbox: thread-safe)
     */
    public LocalDeliveryFlow(Stages stages, int capacity, Materializer materializer,
                             BiFunction<Job, SieveDelivery.Outcome, CompletionStage<Recorded>> recorder,
                             Consumer<Result> results) {
        this.stages = stages;
        this.recorder = recorder;
        this.queue = Source.<Job>queue(capacity)
                .mapAsyncUnordered(capacity, this::decideOrDefer)
                .mapAsyncUnordered(capacity, step -> step instanceof Step.Store s
                        ? storeOrDefer(s)
                        : CompletableFuture.completedFuture(((Step.Done) step).result()))
                .withAttributes(ActorAttributes.withSupervisionStrategy(Supervision.getResumingDecider()))
                .to(Sink.foreach(results::accept))
                .run(materializer);
    }

    /** Hands a job to the stream; false when it has no room (the caller keeps the target pending). */
    public boolean offer(Job job) {
        return queue.offer(job) == QueueOfferResult.enqueued();
    }

    /** Stops taking jobs; those in the stream finish. */
    public void complete() {
        try {
            queue.complete();
        } catch (IllegalStateException alreadyStopped) {
            // the stream ended with its actor already
        }
    }

    /** Between the stages: either a target to store with its decision, or a result already. */
    private sealed interface Step {
        record Store(Job job, SievePlan plan, ParsedMessage parsed) implements Step {
        }

        record Done(Result result) implements Step {
        }
    }

    /** Checks then Sieve, unless the target was decided before (then neither runs again). */
    private CompletionStage<Step> decide(Job job) {
        if (job.plan() != null) {
            return done(new Step.Store(job, job.plan(), job.parsed()));
        }
        QueuedMessage m = job.message();
        return stages.checks().run(new CheckInput(m.envelope(), job.target(), job.parsed(), List.of()))
                .thenCompose(verdict -> {
                    CheckResult outcome = verdict.outcome();
                    if (outcome instanceof CheckResult.Defer d) {
                        return done(new Step.Done(new Result.Deferred(job, "checks", d.reason())));
                    }
                    if (outcome instanceof CheckResult.Reject r) {
                        return record(job, job.parsed(), new SieveDelivery.Outcome(new SievePlan(m.blob(), List.of(), ""),
                                new TargetStatus(TargetStatus.State.FAILED, "rejected by inbound checks: " + r.reason(),
                                        Instant.now()), List.of(), true));
                    }
                    CompletionStage<ParsedMessage> message = verdict.fields().isEmpty()
                            ? CompletableFuture.completedFuture(job.parsed())
                            : CompletableFuture.supplyAsync(() -> annotated(job.parsed(), verdict), stages.blocking());
                    return message.thenCompose(parsed -> {
                        if (outcome instanceof CheckResult.Quarantine q) {
                            return record(job, parsed, new SieveDelivery.Outcome(new SievePlan(parsed.blob(),
                                    List.of(new SievePlan.Store(QUARANTINE_FOLDER, List.of())),
                                    "quarantined: " + q.reason()), null, List.of(), true));
                        }
                        return sieve(job, parsed);
                    });
                });
    }

    private CompletionStage<Step> sieve(Job job, ParsedMessage parsed) {
        QueuedMessage m = job.message();
        if (stages.sieve() == null || !stages.sieve().settings().enabled()) {
            boolean same = parsed.blob().equals(m.blob());
            return record(job, parsed, new SieveDelivery.Outcome(SievePlan.inbox(parsed.blob()), null, List.of(), !same));
        }
        return stages.sieve().run(m, job.index(), parsed, stages.blocking()).thenCompose(o -> record(job, parsed, o));
    }

    /** Persists the decision through the partition first when it is worth a journal write. */
    private CompletionStage<Step> record(Job job, ParsedMessage parsed, SieveDelivery.Outcome o) {
        if (!o.persist()) {
            return done(new Step.Store(job, o.plan(), parsed));
        }
        return recorder.apply(job, o).thenApply(r -> switch (r) {
            case STORE -> (Step) new Step.Store(job, o.plan(), parsed);
            case FINISHED -> new Step.Done(new Result.Finished(job));
            case GONE -> new Step.Done(new Result.Gone(job));
        });
    }

    /** The message with the checks' header fields on top, stored, with its parse (the same message when there are none). */
    private ParsedMessage annotated(ParsedMessage parsed, Verdict verdict) {
        if (verdict.fields().isEmpty()) {
            return parsed;
        }
        StringBuilder head = new StringBuilder();
        verdict.fields().forEach(f -> head.append(f).append("\r\n"));
        try (InputStream in = new SequenceInputStream(
                new ByteArrayInputStream(head.toString().getBytes(StandardCharsets.UTF_8)),
                stages.blobs().open(parsed.blob())); BlobWriter w = stages.blobs().create()) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) != -1) {
                w.write(buf, 0, n);
            }
            BlobRef copy = w.commit().toCompletableFuture().join();
            // the fields go on top: the parse moves under them, unless they are ones the parser reads
            java.util.Optional<ParsedMessage> moved = parsed.prepended(copy, head.toString());
            return moved.isPresent() ? moved.get() : ParsedMessage.parse(stages.blobs(), copy);
        } catch (IOException e) {
            throw new UncheckedIOException("could not store the annotated message: " + e.getMessage(), e);
        }
    }

    /** Stores the target in every folder of its decision (the decision's blob parsed when it is a new one). */
    private CompletionStage<Result> store(Step.Store s) {
        Job job = s.job();
        CompletionStage<ParsedMessage> parsed = s.plan().blob().equals(s.parsed().blob())
                ? CompletableFuture.completedFuture(s.parsed())
                : CompletableFuture.supplyAsync(() -> {
                    try {
                        return ParsedMessage.parse(stages.blobs(), s.plan().blob());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, stages.blocking());
        return parsed.handle((p, err) -> p == null
                        ? CompletableFuture.<Result>completedFuture(new Result.Deferred(job, "parse", describe(err)))
                        : stages.mailboxes().store(job.message(), job.index(), s.plan(), p.summary())
                        .<Result>thenApply(answers -> new Result.Stored(job, s.plan(), answers))
                        .exceptionally(e -> new Result.Deferred(job, "mailbox", describe(e))))
                .thenCompose(x -> x);
    }

    /** The decision stage; any failure (Sieve, the script store, the blob store) defers the job. */
    private CompletionStage<Step> decideOrDefer(Job job) {
        return guarded(() -> decide(job)).handle((step, err) -> err == null ? step
                : new Step.Done(new Result.Deferred(job, "sieve", describe(err))));
    }

    /** The mailbox stage; any failure defers the job. */
    private CompletionStage<Result> storeOrDefer(Step.Store s) {
        return guarded(() -> store(s)).handle((result, err) -> err == null ? result
                : new Result.Deferred(s.job(), "mailbox", describe(err)));
    }

    /** A stage that throws instead of completing exceptionally fails its future, never the stream. */
    private static <T> CompletionStage<T> guarded(java.util.function.Supplier<CompletionStage<T>> stage) {
        try {
            return stage.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static CompletionStage<Step> done(Step s) {
        return CompletableFuture.completedFuture(s);
    }

    /** The cause an operator needs, without the CompletionException wrapper. */
    public static String describe(Throwable err) {
        Throwable c = err;
        while (c instanceof CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        return String.valueOf(c);
    }
}
