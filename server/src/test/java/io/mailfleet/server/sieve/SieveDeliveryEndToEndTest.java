package io.mailfleet.server.sieve;

import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.core.service.SieveScriptStore;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.mailfleet.server.sieve.SieveMail.await;
import static io.mailfleet.server.sieve.SieveMail.awaitLocalDone;
import static io.mailfleet.server.sieve.SieveMail.headers;
import static io.mailfleet.server.sieve.SieveMail.messages;
import static io.mailfleet.server.sieve.SieveMail.send;
import static io.mailfleet.server.sieve.SieveMail.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sieve at local delivery through a real node: scripts from ManageSieve and from a docker-mailserver
 * config directory (before → user → after), fileinto with flags, vacation once per sender, redirect
 * (local, remote, loop), reject, and scripts that fail to compile or hit a limit keep the mail.
 */
class SieveDeliveryEndToEndTest {

    @TempDir
    static Path data;
    static MailfleetServer server;
    static SieveScriptStore scripts;
    static int mx;

    @BeforeAll
    static void start() throws Exception {
        Path dms = Files.createDirectories(data.resolve("dms"));
        // before: tags every message, so the user script can prove it ran after it
        Files.writeString(dms.resolve("before.dovecot.sieve"),
                "require [\"editheader\"];\naddheader \"X-Before\" \"seen\";\n");
        Files.writeString(dms.resolve("dms@example.com.dovecot.sieve"),
                "require [\"fileinto\"];\nif allof (header :contains \"subject\" \"sort me\", exists \"X-Before\") {\n"
                        + "  fileinto \"UserSawBefore\";\n}\n");
        Files.writeString(dms.resolve("after.dovecot.sieve"),
                "require [\"fileinto\"];\nif header :contains \"subject\" \"late\" {\n  fileinto \"After\";\n}\n");
        Files.writeString(dms.resolve("bad@example.com.dovecot.sieve"), "require \"fileinto\";\nif header :is {\n");
        // docker-mailserver mode: the accounts come from the config directory
        StringBuilder accounts = new StringBuilder();
        for (String a : List.of("user@example.com", "dms@example.com", "bad@example.com", "vac@example.com",
                "sender@example.com", "listy@example.com", "fwd@example.com", "target@example.com", "loop1@example.com",
                "loop2@example.com", "limit@example.com", "rej@example.com", "bounced@example.com", "origin@example.com")) {
            accounts.append(a).append('|').append(PasswordSchemes.hash("secret")).append('\n');
        }
        Files.writeString(dms.resolve("postfix-accounts.cf"), accounts.toString());
        server = TestServers.start(TestServers.env(data.resolve("node"), Map.of("DMS_CONFIG_DIR", dms.toString())),
                null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.node().directory().view().accountCount() < 14 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        scripts = server.node().sieveScripts();
        mx = server.listeners().smtpPorts().get(SmtpMode.MX);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static void activate(String account, String source) throws Exception {
        scripts.put(account, "main", source).toCompletableFuture().get(20, TimeUnit.SECONDS);
        scripts.setActive(account, "main").toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void scriptUploadedOverManageSieveFilesIntoAFolderWithFlags() throws Exception {
        String script = "require [\"fileinto\", \"imap4flags\"];\r\n"
                + "if header :contains \"subject\" \"report\" {\r\n  fileinto :flags \"\\\\Flagged\" \"Reports\";\r\n}\r\n";
        try (Wire sieve = Wire.sieve(server.listeners().otherPorts().get("managesieve"))) {
            String plain = Base64.getEncoder().encodeToString("\0user@example.com\0secret".getBytes(StandardCharsets.UTF_8));
            sieve.send("AUTHENTICATE \"PLAIN\" \"" + plain + "\"").expect("OK");
            assertTrue(Wire.last(sieve.sieveLiteral("PUTSCRIPT \"sorting\"", script)).startsWith("OK"));
            sieve.send("SETACTIVE \"sorting\"").expect("OK");
            sieve.send("LOGOUT").response();
        }
        send(mx, "boss@remote.example", "user@example.com",
                headers("boss@remote.example", "user@example.com", "monthly report"), "numbers");
        send(mx, "boss@remote.example", "user@example.com",
                headers("boss@remote.example", "user@example.com", "lunch?"), "food");
        List<MessageMeta> reports = await(server, "user@example.com", "Reports", 1);
        assertEquals(1, reports.size());
        assertTrue(reports.get(0).flags().contains("\\Flagged"), reports.get(0).flags().toString());
        assertTrue(text(server, reports.get(0)).contains("Subject: monthly report"));
        List<MessageMeta> inbox = await(server, "user@example.com", "INBOX", 1);
        assertTrue(text(server, inbox.get(0)).contains("Subject: lunch?"));
    }

    @Test
    void dmsBeforeThenUserFileThenAfter() throws Exception {
        send(mx, "a@remote.example", "dms@example.com", headers("a@remote.example", "dms@example.com", "please sort me"), "x");
        send(mx, "a@remote.example", "dms@example.com", headers("a@remote.example", "dms@example.com", "a late one"), "y");
        send(mx, "a@remote.example", "dms@example.com", headers("a@remote.example", "dms@example.com", "plain"), "z");
        MessageMeta sorted = await(server, "dms@example.com", "UserSawBefore", 1).get(0);
        String t = text(server, sorted);
        assertTrue(t.contains("X-Before: seen") && t.contains("Subject: please sort me"), t);
        assertTrue(t.contains("\r\n\r\nx\r\n"), "body kept after the edited header block: " + t);
        assertEquals(1, await(server, "dms@example.com", "After", 1).size());
        MessageMeta plain = await(server, "dms@example.com", "INBOX", 1).get(0);
        assertTrue(text(server, plain).contains("Subject: plain"));
    }

    @Test
    void malformedScriptKeepsTheMail() throws Exception {
        send(mx, "a@remote.example", "bad@example.com", headers("a@remote.example", "bad@example.com", "still here"), "x");
        assertTrue(text(server, await(server, "bad@example.com", "INBOX", 1).get(0)).contains("Subject: still here"));
    }

    @Test
    void scriptOverTheRedirectLimitKeepsTheMailAndRedirectsNothing() throws Exception {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            s.append("redirect \"target").append(i).append("@remote.example\";\n");
        }
        activate("limit@example.com", s.toString());
        send(mx, "a@remote.example", "limit@example.com", headers("a@remote.example", "limit@example.com", "too many"), "x");
        assertTrue(text(server, await(server, "limit@example.com", "INBOX", 1).get(0)).contains("Subject: too many"));
        List<QueuedMessage> q = awaitLocalDone(server);
        assertFalse(q.stream().anyMatch(m -> m.envelope().recipients().get(0).address().startsWith("target")), q.toString());
    }

    @Test
    void vacationRepliesOncePerSenderAndNeverToListsOrTheNullSender() throws Exception {
        activate("vac@example.com", "require \"vacation\";\nvacation :days 1 :subject \"Away\" \"I am away.\";\n");
        send(mx, "sender@example.com", "vac@example.com", headers("sender@example.com", "vac@example.com", "first"), "1");
        send(mx, "sender@example.com", "vac@example.com", headers("sender@example.com", "vac@example.com", "second"), "2");
        send(mx, "listy@example.com", "vac@example.com",
                headers("listy@example.com", "vac@example.com", "list mail", "List-Id: <news.example.com>"), "3");
        send(mx, "", "vac@example.com", headers("mailer-daemon@remote.example", "vac@example.com", "bounce"), "4");
        await(server, "vac@example.com", "INBOX", 4);
        awaitLocalDone(server);
        List<MessageMeta> replies = await(server, "sender@example.com", "INBOX", 1);
        assertEquals(1, replies.size(), "one reply per sender per :days");
        String reply = text(server, replies.get(0));
        assertTrue(reply.contains("Subject: Away") && reply.contains("Auto-Submitted: auto-replied")
                && reply.contains("I am away.") && reply.contains("In-Reply-To: <"), reply);
        assertTrue(reply.contains("From: vac@example.com"), reply);
        assertEquals(0, messages(server, "listy@example.com", "INBOX").size(), "no reply to a list");
    }

    @Test
    void redirectToLocalAndRemoteAddresses() throws Exception {
        activate("fwd@example.com", "require [\"copy\"];\nredirect \"target@example.com\";\n"
                + "redirect :copy \"far@nowhere.invalid\";\n");
        send(mx, "origin@example.com", "fwd@example.com", headers("origin@example.com", "fwd@example.com", "pass on"), "x");
        String copy = text(server, await(server, "target@example.com", "INBOX", 1).get(0));
        assertTrue(copy.contains("X-Sieve-Redirected-From: <fwd@example.com>\r\n") && copy.contains("Subject: pass on"),
                copy);
        // The remote copy is a new queued message from the original envelope sender: the domain does not
        // exist, so its failure report comes back to that sender.
        String dsn = text(server, await(server, "origin@example.com", "INBOX", 1).get(0));
        assertTrue(dsn.contains("far@nowhere.invalid") && dsn.contains("X-Sieve-Redirected-From: <fwd@example.com>"), dsn);
        awaitLocalDone(server);
        assertEquals(0, messages(server, "fwd@example.com", "INBOX").size(), "redirect without :copy keeps nothing");
    }

    @Test
    void redirectLoopStopsAtTheSecondVisit() throws Exception {
        activate("loop1@example.com", "redirect \"loop2@example.com\";\n");
        activate("loop2@example.com", "redirect \"loop1@example.com\";\n");
        send(mx, "a@remote.example", "loop1@example.com", headers("a@remote.example", "loop1@example.com", "round"), "x");
        String kept = text(server, await(server, "loop1@example.com", "INBOX", 1).get(0));
        assertTrue(kept.contains("X-Sieve-Redirected-From: <loop2@example.com>")
                && kept.contains("X-Sieve-Redirected-From: <loop1@example.com>"), kept);
        awaitLocalDone(server);
        assertEquals(1, messages(server, "loop1@example.com", "INBOX").size());
        assertEquals(0, messages(server, "loop2@example.com", "INBOX").size());
    }

    @Test
    void rejectReturnsTheMailToTheSender() throws Exception {
        activate("rej@example.com", "require \"reject\";\nreject \"I do not want this.\";\n");
        send(mx, "bounced@example.com", "rej@example.com", headers("bounced@example.com", "rej@example.com", "unwanted"), "x");
        String dsn = text(server, await(server, "bounced@example.com", "INBOX", 1).get(0));
        assertTrue(dsn.contains("I do not want this.") && dsn.contains("5.7.1"), dsn);
        awaitLocalDone(server);
        assertEquals(0, messages(server, "rej@example.com", "INBOX").size());
    }
}
