package io.mailfleet.cluster.queue;

import io.mailfleet.cluster.delivery.AuthenticationLogFields;
import io.mailfleet.cluster.delivery.DeliveryLog;
import io.mailfleet.core.mime.ParsedMessage;
import io.mailfleet.core.blob.BlobStore;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The parsed form of the partition's queued messages: the parse an SMTP message came with (made at the
 * end of its DATA, see {@link QueuePartition.EnqueueParsed}), or else one parse off the actor (blob
 * reads block) at the start of its local delivery; kept for every stage after it and for the
 * authentication fields of its log lines. Per incarnation, never journaled (parsed again after a
 * restart); confined to its partition actor.
 */
final class ParsedMessages {

    private final ActorContext<QueuePartition.Command> context;
    private final BlobStore blobs;
    private final Executor blocking;
    /** Queued messages parsed at the start of their local delivery, by queue id. */
    private final Map<String, ParsedMessage> parsed = new HashMap<>();
    private final Set<String> parsing = new HashSet<>();

    ParsedMessages(ActorContext<QueuePartition.Command> context, BlobStore blobs, Executor blocking) {
        this.context = context;
        this.blobs = blobs;
        this.blocking = blocking;
    }

    /** The message's parse, or null when it has not been parsed (yet). */
    ParsedMessage get(String queueId) {
        return parsed.get(queueId);
    }

    /** Parses the message once, off the actor; the result comes back as {@link QueuePartition.Parsed}. */
    void parse(QueuedMessage m) {
        if (!parsing.add(m.queueId())) {
            return;
        }
        context.pipeToSelf(CompletableFuture.supplyAsync(() -> {
            try {
                return ParsedMessage.parse(blobs, m.blob());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, blocking), (result, err) -> new QueuePartition.Parsed(m.queueId(), result, err == null ? null : err.toString()));
    }

    /** The parse of the message has come back (kept or not, it may be started again). */
    void finished(String queueId) {
        parsing.remove(queueId);
    }

    /** Keeps a parse for the message's deliveries. */
    void keep(String queueId, ParsedMessage message) {
        parsed.put(queueId, message);
    }

    /** Drops the parse of a message that left the queue. */
    void forget(String queueId) {
        parsed.remove(queueId);
    }

    /** The decision's log line, with the message's authentication results when its parse is at hand. */
    void logDecision(QueuedMessage m, DeliveryTarget t, String status, String relay, String reason) {
        ParsedMessage p = parsed.get(m.queueId());
        DeliveryLog.decision(m, t, status, relay, reason, p == null ? "" : AuthenticationLogFields.of(p.header()));
    }
}
