package io.mailfleet.protocols.smtp;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.mime.ParsedMessage;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.protocols.netty.BlockingReads;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.DropFields;
import io.mailfleet.protocols.smtp.check.EnvelopeChange;
import io.mailfleet.protocols.smtp.check.MessageAttempt;
import io.mailfleet.protocols.smtp.check.MessageCheckRun;
import io.mailfleet.protocols.smtp.check.MessageStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An SMTP message from its committed blob to the queue: parsed once (off the event loop), decided on by
 * the end-of-data checks, which read that parse, annotated with their trace fields (the parse moved
 * under them, not made again), and queued with its parse, so the delivery does not parse it either.
 * A parse that fails leaves the message unparsed, never refused: the checks and the queue then do
 * without it as they do for mail from elsewhere.
 */
final class MessageAcceptance {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.smtp");
    /** The checks deleted every recipient: refused as a milter's discard is (Postfix drops such a message). */
    static final CheckResult.Refuse NO_RECIPIENT_LEFT = new CheckResult.Refuse(
            new SmtpReply(554, "5.7.1", "Message discarded by content filter"), "every recipient deleted by a check");

    private MessageAcceptance() {
    }

    /**
     * Where the message ended up: its blob and size, and the refusal or the queue id; {@code parsed} is
     * the parse of {@code ref} handed to the queue, or null; {@code facts} those of the checks' verdict
     * (their envelope changes). (Fields, as the session's reply reads them.)
     */
    static final class Outcome {
        final BlobRef ref;
        final long size;
        final CheckResult.Refuse refusal;
        final String queueId;
        final ParsedMessage parsed;
        final List<Object> facts;

        Outcome(BlobRef ref, long size, CheckResult.Refuse refusal, String queueId, ParsedMessage parsed) {
            this(ref, size, refusal, queueId, parsed, List.of());
        }

        Outcome(BlobRef ref, long size, CheckResult.Refuse refusal, String queueId, ParsedMessage parsed,
                List<Object> facts) {
            this.ref = ref;
            this.size = size;
            this.refusal = refusal;
            this.queueId = queueId;
            this.parsed = parsed;
            this.facts = facts;
        }

        Outcome queued(String id) {
            return new Outcome(ref, size, null, id, parsed, facts);
        }

        Outcome refused(CheckResult.Refuse why) {
            return new Outcome(ref, size, why, null, null, facts);
        }

        Outcome with(List<Object> checkFacts) {
            return new Outcome(ref, size, refusal, queueId, parsed, checkFacts);
        }
    }

    /**
     * Parses the stored message when a check or a local recipient will read it ({@code parse}), lets the
     * checks of {@code run} (null: none) decide, and queues what they accept.
     */
    static CompletionStage<Outcome> accept(SmtpServices services, BlobRef ref, Optional<InputStream> held, long size,
                                           MessageCheckRun run, MessageStart start, boolean parse, Envelope envelope,
                                           boolean requireTls) {
        CompletionStage<ParsedMessage> parsed = parse ? parse(services, ref, held, start)
                : CompletableFuture.completedFuture(null);
        return parsed.thenCompose(p -> run == null
                        ? CompletableFuture.completedFuture(new Outcome(ref, size, null, null, p))
                        : decide(services, run, new MessageAttempt(start, ref, size, p)))
                .thenCompose(o -> {
                    if (o.refusal != null) {
                        return CompletableFuture.completedFuture(o);
                    }
                    Envelope queued = EnvelopeChange.apply(envelope, o.facts);
                    if (queued.recipients().isEmpty()) {
                        return CompletableFuture.completedFuture(o.refused(NO_RECIPIENT_LEFT));
                    }
                    if (queued != envelope) {
                        LOG.info("session={} txn={} envelope changed by the checks: from=<{}> to={}",
                                start.client().sessionId(), start.transactionId(), queued.sender(),
                                queued.recipients().stream().map(r -> "<" + r.address() + ">").toList());
                    }
                    return services.queue().enqueue(queued, o.ref, requireTls, o.parsed).thenApply(o::queued);
                });
    }

    /**
     * The one parse of the message, on the blob-read threads: from the writer's copy in memory when it kept
     * one ({@code held}), else read from the store; null when the blob could not be read.
     */
    private static CompletionStage<ParsedMessage> parse(SmtpServices services, BlobRef ref, Optional<InputStream> held,
                                                        MessageStart start) {
        return BlockingReads.submit(() -> {
            if (held.isEmpty()) {
                return ParsedMessage.parse(services.blobs(), ref);
            }
            try (InputStream in = held.get()) {
                return ParsedMessage.parse(ref, in);
            }
        }).handle((p, err) -> {
            if (err != null) {
                LOG.warn("session={} txn={} message not parsed at the end of data, checked and queued unparsed: {}",
                        start.client().sessionId(), start.transactionId(), err.toString());
                return null;
            }
            return p;
        });
    }

    /** The checks' verdict on the stored message: refused, or the blob to queue (rewritten when annotated). */
    private static CompletionStage<Outcome> decide(SmtpServices services, MessageCheckRun run, MessageAttempt attempt) {
        return run.decide(attempt).thenCompose(result -> verdict(services, attempt, result).thenApply(o ->
                result instanceof CheckResult.Note n ? o.with(n.facts())
                        : result instanceof CheckResult.Rewritten rw ? o.with(rw.facts()) : o));
    }

    /** The blob to queue for an accepted verdict (rewritten when annotated), or the refusal. */
    private static CompletionStage<Outcome> verdict(SmtpServices services, MessageAttempt attempt, CheckResult result) {
        if (result instanceof CheckResult.Refuse refusal) {
            return CompletableFuture.completedFuture(new Outcome(attempt.message(), attempt.size(), refusal, null,
                    null));
        }
        DropFields drop = result instanceof CheckResult.Note n ? DropFields.in(n.facts())
                : result instanceof CheckResult.Rewritten rw ? DropFields.in(rw.facts()) : null;
        if (drop != null) {
            // the sender's copies of fields a check writes itself: the annotated copy is made without
            // them; its header changed, so the queue parses it when it delivers it
            BlobRef from = result instanceof CheckResult.Rewritten rw ? rw.message() : attempt.message();
            String fields = result instanceof CheckResult.Rewritten rw ? rw.traceFields()
                    : ((CheckResult.Note) result).traceFields();
            return StoredMessages.prependDropping(services.blobs(), from, fields, drop)
                    .thenApply(w -> new Outcome(w.ref(), w.size(), null, null, null));
        }
        if (result instanceof CheckResult.Rewritten rw) {
            // a new message (a milter's changes): the queue parses it when it delivers it
            return annotated(services, rw.message(), rw.size(), rw.traceFields(), null);
        }
        if (result instanceof CheckResult.Note note) {
            return annotated(services, attempt.message(), attempt.size(), note.traceFields(), attempt.parsed());
        }
        return CompletableFuture.completedFuture(new Outcome(attempt.message(), attempt.size(), null, null,
                attempt.parsed()));
    }

    /** {@code fields} prepended to the message in a new blob, its parse moved under them. */
    private static CompletionStage<Outcome> annotated(SmtpServices services, BlobRef ref, long size, String fields,
                                                      ParsedMessage parsed) {
        if (fields.isEmpty()) {
            return CompletableFuture.completedFuture(new Outcome(ref, size, null, null, parsed));
        }
        long total = size + fields.getBytes(StandardCharsets.UTF_8).length;
        return StoredMessages.prepend(services.blobs(), ref, fields).thenApply(stored -> new Outcome(stored, total,
                null, null, parsed == null ? null : parsed.prepended(stored, fields).orElse(null)));
    }
}
