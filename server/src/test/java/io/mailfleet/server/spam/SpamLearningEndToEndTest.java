package io.mailfleet.server.spam;

import io.mailfleet.cluster.classifier.ClusterModelStore;
import io.mailfleet.core.spam.classifier.Features;
import io.mailfleet.core.spam.classifier.ModelCounts;
import io.mailfleet.core.spam.classifier.ModelStore;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Learning from users end to end on a real node: mail arrives over SMTP port 25, the user teaches with
 * IMAP (UID MOVE into Junk, STORE +FLAGS $NotJunk, MOVE out of Junk) through the Wire client, and a new
 * similar spam then gets BAYES_SPAM in X-Spam-Status and lands in Junk, a new ham BAYES_HAM in INBOX; a
 * message moved into Junk and back out (or flagged, or trained in bulk, again) is counted once, as what
 * the user said last.
 */
class SpamLearningEndToEndTest {

    static final String ACCOUNT = "user@example.com";

    @TempDir
    Path data;

    static String message(int n, String subject, String text) {
        return "From: <sender" + n + "@remote.example>\r\nTo: <" + ACCOUNT + ">\r\nSubject: " + subject
                + "\r\nDate: Mon, 7 Dec 2026 02:00:00 +0000\r\nMessage-ID: <m" + n + "@remote.example>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n";
    }

    static String spam(int n) {
        return message(n, "Claim your casino bonus " + n, "Winner! Claim your lottery prize number " + n
                + " now: cheap pills, casino bonus and guaranteed crypto investment. Click to unsubscribe.");
    }

    static String ham(int n) {
        return message(n, "Project review " + n, "Hi, the project review " + n
                + " moved to tomorrow; the agenda and the budget draft are attached. Thanks, regards, Ann");
    }

    static String send(MailfleetServer server, String message) throws Exception {
        int port = server.listeners().smtpPorts().get(io.mailfleet.protocols.smtp.SmtpMode.MX);
        try (Wire c = Wire.from(Wire.Protocol.SMTP, "127.0.0.2", port)) {
            Smtp.beginData(c, "sender@remote.example", ACCOUNT);
            c.write(message);
            return Smtp.endData(c);
        }
    }

    static List<String> await(MailfleetServer server, String folder, Predicate<List<String>> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> texts = List.of();
        while (System.nanoTime() < deadline) {
            texts = new ArrayList<>();
            for (var m : server.node().mailboxes().messages(ACCOUNT, folder).toCompletableFuture().get(20, TimeUnit.SECONDS)) {
                try (InputStream in = server.blobs().open(m.blob())) {
                    texts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            if (done.test(texts)) {
                return texts;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not reached in " + folder + ": " + texts.size() + " messages");
    }

    static ModelCounts awaitCounts(ModelStore store, String model, long spam, long ham) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ModelCounts c;
        do {
            c = store.counts(model, new int[0]).toCompletableFuture().get(20, TimeUnit.SECONDS);
            if (c.learnedSpam() == spam && c.learnedHam() == ham) {
                return c;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("model " + model + " learned " + c + ", expected spam=" + spam + " ham=" + ham);
    }

    @Test
    void imapMovesTeachAndTheNextSimilarSpamGoesToJunk() throws Exception {
        Map<String, String> extra = new HashMap<>(Map.of("MAILFLEET_SPAM_SCORER", "1", "RSPAMD_LEARN", "1",
                "MAILFLEET_BAYES_MIN_LEARNS", "5", "SA_TAG", "-5", "SA_TAG2", "4", "TRUSTED_NETWORKS", "192.0.2.1/32"));
        Map<String, String> env = TestServers.env(data, extra);
        try (MailfleetServer server = TestServers.start(env, new FirstAccount(ACCOUNT, "secret", false))) {
            for (int i = 1; i <= 6; i++) {
                assertTrue(send(server, spam(i)).startsWith("250 "));
            }
            for (int i = 7; i <= 13; i++) {
                assertTrue(send(server, ham(i)).startsWith("250 "));
            }
            List<String> inbox = await(server, "INBOX", l -> l.size() == 13);
            assertFalse(inbox.get(0).contains("BAYES_"), "nothing learned yet: no Bayes verdict\n" + inbox.get(0));

            ClusterModelStore store = ClusterModelStore.start(server.system());
            int port = server.listeners().imapPorts().get(false);
            try (Wire imap = Wire.imap(port)) {
                assertTrue(Wire.last(imap.command("a1", "LOGIN " + ACCOUNT + " secret")).startsWith("a1 OK"));
                assertTrue(Wire.last(imap.command("a2", "SELECT INBOX")).startsWith("a2 OK"));
                assertTrue(Wire.last(imap.command("a3", "UID MOVE 1:6 Junk")).startsWith("a3 OK"));
                awaitCounts(store, ModelStore.GLOBAL, 6, 0);
                assertTrue(Wire.last(imap.command("a4", "UID STORE 7:12 +FLAGS ($NotJunk)")).startsWith("a4 OK"));
                awaitCounts(store, ModelStore.GLOBAL, 6, 6);
                // the same flag again changes nothing and teaches nothing; ham 13 goes to Junk by mistake and back
                assertTrue(Wire.last(imap.command("a5", "UID STORE 7 +FLAGS ($NotJunk)")).startsWith("a5 OK"));
                assertTrue(Wire.last(imap.command("a6", "UID COPY 13 Trash")).startsWith("a6 OK"));
                assertTrue(Wire.last(imap.command("a7", "SELECT Trash")).startsWith("a7 OK"));
                assertTrue(Wire.last(imap.command("a8", "MOVE 1 Junk")).startsWith("a8 OK"));
                awaitCounts(store, ModelStore.GLOBAL, 7, 6);
                assertTrue(Wire.last(imap.command("a9", "SELECT Junk")).startsWith("a9 OK"));
                assertTrue(Wire.last(imap.command("b1", "UID MOVE 7 INBOX")).startsWith("b1 OK"),
                        "the 7th message of Junk: the ham that came from Trash");
                // moved back out of Junk: its spam learning undone, learned once as ham
                awaitCounts(store, ModelStore.GLOBAL, 6, 7);
                ModelCounts own = awaitCounts(store, ModelStore.account(ACCOUNT), 6, 7);
                assertEquals(7, own.learnedHam(), "the account's own model learned too");
            }

            assertTrue(send(server, spam(100)).startsWith("250 "));
            List<String> junk = await(server, "Junk", l -> l.stream().anyMatch(t -> t.contains("<m100@")));
            String got = junk.stream().filter(t -> t.contains("<m100@")).findFirst().orElseThrow();
            assertTrue(got.startsWith("X-Spam-Flag: YES\r\n"), got);
            assertTrue(got.contains("BAYES_SPAM="), got);

            assertTrue(send(server, ham(101)).startsWith("250 "));
            List<String> in = await(server, "INBOX", l -> l.stream().anyMatch(t -> t.contains("<m101@")));
            String ok = in.stream().filter(t -> t.contains("<m101@")).findFirst().orElseThrow();
            assertTrue(ok.contains("X-Spam-Flag: NO") && ok.contains("BAYES_HAM="), ok);
        }
    }

    static HttpResponse<String> train(HttpClient http, Map<String, String> env, String folder, String as)
            throws Exception {
        String token = java.nio.file.Files.readString(Path.of(env.get("MAILFLEET_DATA")).resolve("api-token")).strip();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.get("MAILFLEET_MANAGEMENT_PORT")
                        + "/api/v1/spam/learn")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"account\":\"" + ACCOUNT + "\",\"folder\":\"" + folder
                        + "\",\"as\":\"" + as + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aMessageMovedIntoJunkAndBackOutIsCountedOnceAsHam() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of("MAILFLEET_SPAM_SCORER", "1", "RSPAMD_LEARN", "1",
                "TRUSTED_NETWORKS", "192.0.2.1/32"));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount(ACCOUNT, "secret", false))) {
            assertTrue(send(server, ham(1)).startsWith("250 "));
            assertTrue(send(server, ham(2)).startsWith("250 "));
            String moved = await(server, "INBOX", l -> l.size() == 2).stream().filter(t -> t.contains("<m1@"))
                    .findFirst().orElseThrow();
            int[] features = Features.of(moved.getBytes(StandardCharsets.UTF_8));
            ClusterModelStore store = ClusterModelStore.start(server.system());
            try (Wire imap = Wire.imap(server.listeners().imapPorts().get(false))) {
                assertTrue(Wire.last(imap.command("a1", "LOGIN " + ACCOUNT + " secret")).startsWith("a1 OK"));
                assertTrue(Wire.last(imap.command("a2", "SELECT INBOX")).startsWith("a2 OK"));
                assertTrue(Wire.last(imap.command("a3", "UID MOVE 1 Junk")).startsWith("a3 OK"));
                awaitCounts(store, ModelStore.GLOBAL, 1, 0);
                assertTrue(Wire.last(imap.command("a4", "SELECT Junk")).startsWith("a4 OK"));
                assertTrue(Wire.last(imap.command("a5", "UID MOVE 1 INBOX")).startsWith("a5 OK"));
                ModelCounts global = awaitCounts(store, ModelStore.GLOBAL, 0, 1);
                ModelCounts own = awaitCounts(store, ModelStore.account(ACCOUNT), 0, 1);
                ModelCounts buckets = store.counts(ModelStore.GLOBAL, features).toCompletableFuture()
                        .get(20, TimeUnit.SECONDS);
                assertTrue(java.util.Arrays.stream(buckets.spam()).allMatch(n -> n == 0),
                        "the spam learning undone bucket by bucket: " + global);
                assertTrue(java.util.Arrays.stream(buckets.ham()).allMatch(n -> n == 1),
                        "learned once as ham: " + own);

                // a copy into Junk relearns it as spam, $NotJunk on that copy as ham again
                assertTrue(Wire.last(imap.command("a6", "SELECT INBOX")).startsWith("a6 OK"));
                assertTrue(Wire.last(imap.command("a7", "UID COPY 3 Junk")).startsWith("a7 OK"),
                        "INBOX uid 3: the message moved back");
                awaitCounts(store, ModelStore.GLOBAL, 1, 0);
                assertTrue(Wire.last(imap.command("a8", "SELECT Junk")).startsWith("a8 OK"));
                assertTrue(Wire.last(imap.command("a9", "UID STORE 2 +FLAGS ($NotJunk)")).startsWith("a9 OK"));
                awaitCounts(store, ModelStore.GLOBAL, 0, 1);
            }

            // bulk training answers what it skipped; the counts show every message once
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> inbox = train(http, env, "INBOX", "ham");
            assertEquals(200, inbox.statusCode(), inbox.body());
            assertTrue(inbox.body().contains("\"learned\":1,\"relearned\":0,\"alreadyLearned\":1,\"skipped\":0"),
                    inbox.body());
            awaitCounts(store, ModelStore.GLOBAL, 0, 2);
            HttpResponse<String> junk = train(http, env, "Junk", "spam");
            assertTrue(junk.body().contains("\"learned\":1,\"relearned\":1,\"alreadyLearned\":0"), junk.body());
            ModelCounts after = awaitCounts(store, ModelStore.account(ACCOUNT), 1, 1);
            assertEquals(1, after.learnedSpam());
        }
    }
}
