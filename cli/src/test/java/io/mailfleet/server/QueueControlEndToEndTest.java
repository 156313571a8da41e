package io.mailfleet.server;

import io.mailfleet.cli.CliRun;
import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.cluster.queue.QueueEntry;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Queue control against a real node whose relay port is closed, so remote mail stays deferred:
 * the CLI and the API list, show, flush, bounce and delete; the JMX bean counts and flushes.
 */
class QueueControlEndToEndTest {

    @TempDir
    Path data;

    @Test
    void deferredMailIsListedShownFlushedBouncedAndDeleted() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of(
                "DEFAULT_RELAY_HOST", "[127.0.0.1]:" + TestServers.freePort(),
                "MAILFLEET_RETRY_FIRST", "1h",
                "MAILFLEET_RETRY_MAX", "2h",
                "MAILFLEET_SMTP_CLIENT_TIMEOUT", "5s"));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("sender@example.com", "secret-pw", false))) {
            String first = enqueue(server, "far@remote.example", "first");
            String second = enqueue(server, "other@elsewhere.example", "second");
            waitFor(() -> attempts(server, first) >= 1 && attempts(server, second) >= 1);

            CliRun list = CliRun.cli(env, "queue", "list");
            assertEquals(0, list.code(), list.toString());
            assertTrue(list.out().contains(first) && list.out().contains(second), list.out());
            assertTrue(list.out().contains("far@remote.example") && list.out().contains("2 Requests."), list.out());

            CliRun other = CliRun.cli(env, "queue", "list", "--recipient", "elsewhere",
                    "--status", "deferred", "--sender", "SENDER@example");
            assertTrue(other.out().contains(second) && !other.out().contains(first), other.out());
            CliRun young = CliRun.cli(env, "queue", "list", "--older-than", "1d");
            assertEquals(0, young.code());
            assertTrue(young.out().contains("No queued message matches"), young.out());
            CliRun badStatus = CliRun.cli(env, "queue", "list", "--status", "frozen");
            assertEquals(1, badStatus.code());
            assertTrue(badStatus.err().contains("unknown queue status 'frozen'"), badStatus.toString());

            CliRun show = CliRun.cli(env, "queue", "show", first.toLowerCase());
            assertEquals(0, show.code(), show.toString());
            assertTrue(show.out().contains("Status:       deferred"), show.out());
            assertTrue(show.out().contains("Attempts:     1"), show.out());
            assertTrue(show.out().contains("far@remote.example: pending [remote]"), show.out());
            assertTrue(show.out().contains("last attempt"), show.out());
            assertFalse(show.out().contains("Next attempt: -"), "a retry is scheduled: " + show.out());

            HttpResponse<String> detail = http(env, "GET", "/api/v1/queue/" + first);
            assertEquals(200, detail.statusCode(), detail.body());
            assertTrue(detail.body().contains("\"status\":\"deferred\"") && detail.body().contains("\"lastAttempt\":{"),
                    detail.body());
            HttpResponse<String> unknown = http(env, "GET", "/api/v1/queue/0000000000ZZZZZZ");
            assertEquals(404, unknown.statusCode());
            assertTrue(unknown.body().contains("\"code\":\"not-found\""), unknown.body());
            assertEquals(404, http(env, "POST", "/api/v1/queue/0000000000ZZZZZZ/bounce").statusCode());
            HttpResponse<String> badAge = http(env, "GET", "/api/v1/queue?older-than=soon");
            assertEquals(400, badAge.statusCode());
            assertTrue(badAge.body().contains("invalid age 'soon'"), badAge.body());
            CliRun missing = CliRun.cli(env, "queue", "delete", "0000000000ZZZZZZ");
            assertEquals(1, missing.code());
            assertTrue(missing.err().contains("is not in the queue"), missing.toString());

            MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
            Set<ObjectName> names = mbeans.queryNames(new ObjectName("io.mailfleet:type=Queue,*"), null);
            assertEquals(1, names.size(), names.toString());
            ObjectName bean = names.iterator().next();
            assertEquals(2, mbeans.getAttribute(bean, "Depth"));
            assertEquals(2, mbeans.getAttribute(bean, "DeferredCount"));
            assertTrue((long) mbeans.getAttribute(bean, "DeferredAttempts") >= 2);
            assertTrue((long) mbeans.getAttribute(bean, "OldestAgeSeconds") >= 0);

            // One message flushed through JMX: only it is tried again (the back-off is an hour).
            assertEquals(1, mbeans.invoke(bean, "flush", new Object[]{first}, new String[]{String.class.getName()}));
            waitFor(() -> attempts(server, first) >= 2);
            assertEquals(1, attempts(server, second));
            CliRun flushOne = CliRun.cli(env, "queue", "flush", second);
            assertEquals(0, flushOne.code(), flushOne.toString());
            waitFor(() -> attempts(server, second) >= 2);
            CliRun flushAll = CliRun.cli(env, "queue", "flush");
            assertTrue(flushAll.out().contains("INFO: 2 queued message(s)"), flushAll.toString());
            waitFor(() -> attempts(server, first) >= 3 && attempts(server, second) >= 3);
            assertEquals(2, mbeans.invoke(bean, "flush", new Object[0], new String[0]));
            waitFor(() -> attempts(server, first) >= 4 && attempts(server, second) >= 4);

            CliRun bounce = CliRun.cli(env, "queue", "bounce", first);
            assertEquals(0, bounce.code(), bounce.toString());
            String dsn = awaitMessage(server, "sender@example.com", "X-Mailfleet-Queue-ID: " + first);
            assertTrue(dsn.contains("report-type=delivery-status"), dsn);
            assertTrue(dsn.contains("far@remote.example"), dsn);
            waitFor(() -> entry(server, first) == null);
            assertTrue((long) mbeans.getAttribute(bean, "BouncedCount") >= 1);

            CliRun delete = CliRun.cli(env, "queue", "delete", second);
            assertEquals(0, delete.code(), delete.toString());
            waitFor(() -> entry(server, second) == null);
            // The bounce notice to the sender is a queued message too; its local delivery is recorded
            // with the partition's next batch of completions.
            waitFor(() -> depth(mbeans, bean) == 0);
            CliRun empty = CliRun.cli(env, "queue", "list");
            assertTrue(empty.out().contains("Mail queue is empty"), empty.out());
            assertEquals(1, inbox(server, "sender@example.com").size(), "a deleted message is dropped without notice");
        }
    }

    private static HttpResponse<String> http(Map<String, String> env, String method, String path) throws Exception {
        String token = Files.readString(Path.of(env.get("MAILFLEET_DATA")).resolve("api-token")).strip();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.get("MAILFLEET_MANAGEMENT_PORT") + path))
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    }

    static String enqueue(MailfleetServer server, String rcpt, String subject) throws Exception {
        String msg = "From: <sender@example.com>\r\nTo: <" + rcpt + ">\r\nSubject: " + subject + "\r\n\r\nbody\r\n";
        BlobRef ref;
        try (BlobWriter w = server.blobs().create()) {
            byte[] b = msg.getBytes(StandardCharsets.UTF_8);
            w.write(b, 0, b.length);
            ref = w.commit().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        Envelope env = new Envelope("sender@example.com", List.of(EnvelopeRecipient.of(rcpt)), "client.example",
                "192.0.2.1", "sender@example.com", true, null, null, "7BIT", false, Instant.now());
        return server.node().queue().enqueue(env, ref).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static QueueEntry entry(MailfleetServer server, String id) {
        try {
            return server.node().queue().show(id).toCompletableFuture().get(10, TimeUnit.SECONDS).orElse(null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int attempts(MailfleetServer server, String id) {
        QueueEntry e = entry(server, id);
        return e == null ? 0 : e.progress().attempts();
    }

    static List<String> inbox(MailfleetServer server, String account) throws Exception {
        List<MessageMeta> metas = server.node().mailboxes().messages(account, "INBOX").toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        List<String> out = new java.util.ArrayList<>();
        for (MessageMeta m : metas) {
            try (InputStream in = server.blobs().open(m.blob())) {
                out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static String awaitMessage(MailfleetServer server, String account, String marker) throws Exception {
        String[] found = new String[1];
        waitFor(() -> {
            try {
                for (String m : inbox(server, account)) {
                    if (m.contains(marker)) {
                        found[0] = m;
                        return true;
                    }
                }
                return false;
            } catch (Exception e) {
                return false;
            }
        });
        return found[0];
    }

    private static int depth(javax.management.MBeanServer mbeans, ObjectName bean) {
        try {
            return ((Number) mbeans.getAttribute(bean, "Depth")).intValue();
        } catch (javax.management.JMException e) {
            throw new AssertionError("queue bean unreadable", e);
        }
    }

    static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 40 s");
            }
            Thread.sleep(50);
        }
    }
}
