package io.mailfleet.server.crash;

import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.server.MailfleetServer;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Reads a restarted node's INBOX once its queue has settled, keyed by the Message-ID found in each blob. */
final class Inbox {

    private static final long SETTLE_TIMEOUT_SECONDS = 45;
    /** Enough for any header section here; a 50 MB message is not read whole just to find its id. */
    private static final int HEAD_BYTES = 64 * 1024;

    private Inbox() {
    }

    /**
     * Waits until every message in {@code mustContain} is in the INBOX of {@code account} and no queued
     * message has a pending target any more, then returns how often each Message-ID is stored.
     */
    static Map<String, Integer> settledCounts(MailfleetServer server, String account, Collection<String> mustContain)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_TIMEOUT_SECONDS);
        Map<String, Integer> counts = Map.of();
        List<String> pending = List.of();
        while (System.nanoTime() < deadline) {
            pending = pendingQueueIds(server);
            counts = countByMessageId(server, account);
            if (pending.isEmpty() && counts.keySet().containsAll(mustContain)) {
                return counts;
            }
            Thread.sleep(100);
        }
        List<String> missing = new ArrayList<>(mustContain);
        missing.removeAll(counts.keySet());
        throw new AssertionError("after " + SETTLE_TIMEOUT_SECONDS + " s: still queued " + pending
                + ", missing from " + account + " INBOX " + missing + ", present " + counts);
    }

    static List<MessageMeta> messages(MailfleetServer server, String account) throws Exception {
        return server.node().mailboxes().messages(account, "INBOX").toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static List<String> pendingQueueIds(MailfleetServer server) throws Exception {
        List<QueuedMessage> queued = server.node().queue().list().toCompletableFuture().get(20, TimeUnit.SECONDS);
        return queued.stream().filter(q -> !q.finished()).map(QueuedMessage::queueId).toList();
    }

    private static Map<String, Integer> countByMessageId(MailfleetServer server, String account) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (MessageMeta m : messages(server, account)) {
            try (InputStream in = server.blobs().open(m.blob())) {
                counts.merge(messageId(in.readNBytes(HEAD_BYTES)), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** The Message-ID field of the header section, or a marker naming its absence. */
    static String messageId(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String headers = end < 0 ? text : text.substring(0, end);
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("message-id:")) {
                return line.substring("message-id:".length()).trim();
            }
        }
        return "(no Message-ID)";
    }
}
