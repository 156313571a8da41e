package io.mailfleet.server.crash;

import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 while mail flows: every message that got {@code 250} is in the mailbox exactly once after
 * restart; the ones in flight may or may not be, but never twice.
 */
class KillAfterAcceptTest {

    private static final int MESSAGES = 30;
    private static final int SENDERS = 6;
    private static final int KILL_AFTER_ACCEPTED = 15;

    @TempDir
    Path data;

    @Test
    void everyAcceptedMessageIsDeliveredExactlyOnceAfterSigkill() throws Exception {
        Map<String, String> env = ChildNode.env(data, Map.of());
        Map<String, String> ran;
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Set<String> attempted = ConcurrentHashMap.newKeySet();
        List<String> unexpected = new ArrayList<>();
        CountDownLatch enough = new CountDownLatch(KILL_AFTER_ACCEPTED);
        ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        try (ChildNode child = ChildNode.start(env, 256)) {
            ran = child.env();
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> senders = new ArrayList<>();
            for (int t = 0; t < SENDERS; t++) {
                senders.add(pool.submit(() -> {
                    int n;
                    while ((n = next.getAndIncrement()) < MESSAGES) {
                        String id = "<crash-" + n + "@client.remote.example>";
                        attempted.add(id);
                        String reply = sendOne(child.smtpPort(), id, n);
                        if (reply != null && reply.startsWith("250 2.0.0 Ok: queued as ")) {
                            accepted.add(id);
                            enough.countDown();
                        } else if (reply != null && child.isAlive()) {
                            synchronized (unexpected) {
                                unexpected.add(id + " -> " + reply);
                            }
                        }
                    }
                    return null;
                }));
            }
            assertTrue(enough.await(60, TimeUnit.SECONDS),
                    "only " + accepted.size() + " messages accepted before the kill:\n" + child.output());
            child.kill();
            for (Future<?> f : senders) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(unexpected.isEmpty(), "replies other than 250 while the node was alive: " + unexpected);
        System.out.printf("kill-after-250: %d of %d attempted messages were accepted before SIGKILL%n",
                accepted.size(), attempted.size());

        try (MailfleetServer again = TestServers.start(ran, null)) {
            Map<String, Integer> counts = Inbox.settledCounts(again, ChildNode.ACCOUNT, accepted);
            for (String id : accepted) {
                assertEquals(1, counts.get(id), "accepted message " + id + " must be stored exactly once: " + counts);
            }
            List<Long> uids = Inbox.messages(again, ChildNode.ACCOUNT).stream().map(m -> m.uid()).toList();
            assertEquals(uids.stream().distinct().sorted().toList(), uids, "UIDs unique and ascending: " + uids);
            counts.forEach((id, count) -> {
                assertTrue(attempted.contains(id), "a message nobody sent is in the mailbox: " + id);
                assertEquals(1, count, "message " + id + " stored more than once: " + counts);
            });
        }
    }

    /** One message on its own connection; the final reply, or null when the connection died first. */
    private static String sendOne(int port, String messageId, int n) {
        try (Wire smtp = Wire.connect(Wire.Protocol.SMTP, port, 30_000)) {
            Smtp.beginData(smtp, "sender" + n + "@remote.example", ChildNode.ACCOUNT);
            smtp.write("From: <sender" + n + "@remote.example>\r\n"
                    + "To: <" + ChildNode.ACCOUNT + ">\r\n"
                    + "Subject: crash test " + n + "\r\n"
                    + "Message-ID: " + messageId + "\r\n"
                    + "\r\n"
                    + ("body line of message " + n + "\r\n").repeat(40));
            String reply = Smtp.endData(smtp);
            if (reply != null && reply.startsWith("250")) {
                smtp.write("QUIT\r\n");
            }
            return reply;
        } catch (java.io.IOException e) {
            return null; // the node was killed mid-conversation: no 250 seen, so nothing is promised
        }
    }
}
