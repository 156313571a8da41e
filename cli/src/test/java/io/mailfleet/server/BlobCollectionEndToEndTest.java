package io.mailfleet.server;

import io.mailfleet.cli.CliRun;
import io.mailfleet.cluster.blobgc.BlobCollector;
import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blob garbage collection against a real node: messages appended, copied and expunged over IMAP and
 * an orphan blob (bytes written, never queued: a client that saw 451). A collection "two days later"
 * deletes exactly the expunged message's and the orphan's bytes; every message still in a folder
 * reads back whole over IMAP; the API and the CLI run it with the configured grace (nothing old enough).
 */
class BlobCollectionEndToEndTest {

    @TempDir
    Path data;

    @Test
    void unreferencedBlobsAreDeletedAndReferencedOnesStay() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of("MAILFLEET_BLOB_GC_INTERVAL", "0"));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret", false))) {
            int imap = server.listeners().imapPorts().get(false);
            BlobRef orphan = orphan(server);
            BlobRef first;
            try (Wire c = Wire.imap(new java.net.Socket("127.0.0.1", imap))) {
                ok(c.command("L", "LOGIN user@example.com secret"));
                for (int i = 1; i <= 3; i++) {
                    append(c, "A" + i, message(i));
                }
                first = server.node().mailboxes().messages("user@example.com", "INBOX")
                        .toCompletableFuture().get(10, TimeUnit.SECONDS).get(0).blob();
                ok(c.command("S", "SELECT INBOX"));
                // message 2 is copied to Kept, then both 1 and 2 leave INBOX
                ok(c.command("K", "CREATE Kept"));
                ok(c.command("C", "COPY 2 Kept"));
                ok(c.command("D", "STORE 1:2 +FLAGS.SILENT (\\Deleted)"));
                ok(c.command("E", "EXPUNGE"));
            }
            List<MessageMeta> inbox = server.node().mailboxes().messages("user@example.com", "INBOX")
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            List<MessageMeta> archive = server.node().mailboxes().messages("user@example.com", "Kept")
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(1, inbox.size());
            assertEquals(1, archive.size());

            // The configured grace (24 h) protects everything written just now: nothing to delete.
            HttpResponse<String> dry = http(env, "POST", "/api/v1/blobs/gc?dry-run=true");
            assertEquals(200, dry.statusCode(), dry.body());
            assertTrue(dry.body().contains("\"dryRun\":true") && dry.body().contains("\"deleted\":0"), dry.body());
            assertEquals(400, http(env, "POST", "/api/v1/blobs/gc?dry-run=maybe").statusCode());
            CliRun cli = CliRun.cli(env, "blobs", "gc");
            assertEquals(0, cli.code(), cli.toString());
            assertTrue(cli.out().contains("INFO: 0 unreferenced blob(s)"), cli.out());
            assertEquals(1, CliRun.cli(env, "blobs", "gc", "--now").code());

            Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(2)), ZoneOffset.UTC);
            BlobCollector collector = new BlobCollector(server.system(), server.blobs(), Duration.ofDays(1),
                    Duration.ofSeconds(30), later);
            BlobCollector.Report preview = collector.run(true).toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertEquals(2, preview.deleted(), preview.toString());
            assertTrue(server.blobs().exists(orphan), "a dry run deletes nothing");

            BlobCollector.Report run = collector.run(false).toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertEquals(2, run.deleted(), run.toString());
            assertEquals(0, run.deleteFailures(), run.toString());
            assertEquals(orphan.size() + first.size(), run.bytesFreed(), run.toString());
            assertFalse(server.blobs().exists(orphan));
            assertFalse(server.blobs().exists(first));
            assertTrue(server.blobs().exists(inbox.get(0).blob()));
            assertTrue(server.blobs().exists(archive.get(0).blob()));

            try (Wire c = Wire.imap(new java.net.Socket("127.0.0.1", imap))) {
                ok(c.command("L", "LOGIN user@example.com secret"));
                ok(c.command("S", "SELECT INBOX"));
                assertTrue(String.join("\n", c.command("F", "FETCH 1 BODY[]")).contains("Body of message 3."));
                ok(c.command("S2", "SELECT Kept"));
                assertTrue(String.join("\n", c.command("F2", "FETCH 1 BODY[]")).contains("Body of message 2."));
            }
            BlobCollector.Report again = collector.run(false).toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertEquals(0, again.deleted(), again.toString());
        }
    }

    private static BlobRef orphan(MailfleetServer server) throws Exception {
        try (BlobWriter w = server.blobs().create()) {
            byte[] b = "Subject: never queued\r\n\r\nbytes of a message whose sender saw 451\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            w.write(b, 0, b.length);
            return w.commit().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static byte[] message(int n) {
        return ("From: a@remote.example\r\nTo: user@example.com\r\nSubject: message " + n
                + "\r\n\r\nBody of message " + n + ".\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void append(Wire c, String tag, byte[] message) throws Exception {
        c.write(tag + " APPEND INBOX {" + message.length + "+}\r\n" + new String(message, StandardCharsets.US_ASCII) + "\r\n");
        ok(c.untilTagged(tag));
    }

    private static void ok(List<String> lines) {
        assertTrue(Wire.last(lines).split(" ", 3)[1].equals("OK"), lines.toString());
    }

    private static HttpResponse<String> http(Map<String, String> env, String method, String path) throws Exception {
        String token = Files.readString(Path.of(env.get("MAILFLEET_DATA")).resolve("api-token")).strip();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.get("MAILFLEET_MANAGEMENT_PORT")
                        + path))
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAccountDeletedWithItsMailLeavesNothingBehind() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of("MAILFLEET_BLOB_GC_INTERVAL", "0"));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret", false))) {
            int imap = server.listeners().imapPorts().get(false);
            assertEquals(0, CliRun.cli(env, "email", "add", "keep@example.com", "pw-keep").code());
            assertEquals(0, CliRun.cli(env, "email", "add", "gone@example.com", "pw-gone").code());
            for (String account : List.of("keep@example.com", "gone@example.com")) {
                String password = account.startsWith("keep") ? "pw-keep" : "pw-gone";
                try (Wire c = Wire.imap(new java.net.Socket("127.0.0.1", imap))) {
                    ok(c.command("L", "LOGIN " + account + " " + password));
                    append(c, "A1", message(1));
                    append(c, "A2", message(2));
                }
            }
            List<MessageMeta> gone = server.node().mailboxes().messages("gone@example.com", "INBOX")
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(2, gone.size());

            CliRun keep = CliRun.cli(env, "email", "del", "keep@example.com");
            assertEquals(0, keep.code(), keep.toString());
            CliRun purge = CliRun.cli(env, "email", "del", "-y", "gone@example.com");
            assertEquals(0, purge.code(), purge.toString());
            assertTrue(purge.out().contains("'gone@example.com' and associated data deleted, mailbox emptied"), purge.out());
            assertEquals(400, http(env, "DELETE", "/api/v1/accounts/user@example.com?purge-mailbox=perhaps").statusCode());

            assertEquals(0, server.node().mailboxes().messages("gone@example.com", "INBOX")
                    .toCompletableFuture().get(10, TimeUnit.SECONDS).size());
            assertEquals(2, server.node().mailboxes().messages("keep@example.com", "INBOX")
                    .toCompletableFuture().get(10, TimeUnit.SECONDS).size(), "without -y the mail is kept");

            Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(2)), ZoneOffset.UTC);
            BlobCollector.Report run = new BlobCollector(server.system(), server.blobs(), Duration.ofDays(1),
                    Duration.ofSeconds(30), later).run(false).toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertEquals(2, run.deleted(), run.toString());
            for (MessageMeta m : gone) {
                assertFalse(server.blobs().exists(m.blob()), "bytes of the deleted account's mail reclaimed");
            }
        }
    }
}
