package io.mailfleet.server;

import io.mailfleet.cli.CliRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.user.GreenMailUser;
import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.testkit.Wire;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.mailfleet.cli.CliRun.cli;

/**
 * fetchmail against third-party POP3 and IMAP servers (GreenMail on loopback) with a docker-mailserver
 * config directory: the remote mail arrives once in the local INBOX with a Received line naming the
 * source (a second poll adds nothing), {@code keep} leaves it on the remote, no-keep deletes it (a message
 * over the size limit stays there), a wrong
 * password shows in {@code fetchmail list} and backs off, and a bad fetchmail.cf entry is reported with
 * its line while the others work.
 */
class FetchmailEndToEndTest {

    @TempDir
    Path data;
    @TempDir
    Path dms;
    private RemoteMailbox remote;
    private GreenMailUser keeper;
    private GreenMailUser deleter;
    private GreenMailUser imapUser;

    @BeforeEach
    void remote() throws Exception {
        remote = RemoteMailbox.pop3AndImap();
        keeper = remote.user("keeper@remote.test", "keeper", "keep-pw");
        deleter = remote.user("deleter@remote.test", "deleter", "del-pw");
        imapUser = remote.user("imapper@remote.test", "imapper", "imap-pw");
        remote.user("locked@remote.test", "locked", "right-pw");
        keeper.deliver(message("kept one", "bounces@remote.test"));
        keeper.deliver(message("kept two", null));
        deleter.deliver(message("deleted after fetch", null));
        deleter.deliver(message("too big " + "x".repeat(20_000), null));
        imapUser.deliver(message("over imap", null));
    }

    @AfterEach
    void stop() {
        remote.close();
    }

    private static MimeMessage message(String subject, String returnPath) throws Exception {
        return RemoteMailbox.message(returnPath, "x@remote.test", subject);
    }

    @Test
    void remoteMailArrivesOnceKeepAndNoKeepAreHonouredAndAWrongPasswordBacksOff() throws Exception {
        int pop3 = remote.pop3Port();
        int imap = remote.imapPort();
        Files.writeString(dms.resolve("postfix-accounts.cf"), String.join("\n",
                "a@example.com|{PLAIN}pw-a", "b@example.com|{PLAIN}pw-b", "c@example.com|{PLAIN}pw-c",
                "d@example.com|{PLAIN}pw-d", ""));
        Files.writeString(dms.resolve("fetchmail.cf"), String.join("\n",
                "# written as docker-mailserver's documentation shows",
                "set daemon 300",
                "poll 127.0.0.1 proto pop3 port " + pop3,
                "  user 'keeper' there with password 'keep-pw' is 'a@example.com' here",
                "  options keep",
                "poll 127.0.0.1 with proto pop3 port " + pop3 + " user \"deleter\" pass \"del-pw\" is \"b@example.com\" here",
                "poll 127.0.0.1 proto imap port " + imap + " user 'imapper' pass 'imap-pw' is 'c@example.com' here",
                "poll 127.0.0.1 proto pop3 port " + pop3 + " user 'locked' pass 'wrong-pw' is 'd@example.com' here",
                "poll 127.0.0.1 proto pop2 user 'x' pass 'y' is 'a@example.com'",
                ""));
        Map<String, String> env = TestServers.env(data, Map.of("DMS_CONFIG_DIR", dms.toString(),
                "ENABLE_FETCHMAIL", "1", "FETCHMAIL_POLL", "600",
                "POSTFIX_MESSAGE_SIZE_LIMIT", "10000"));
        try (MailfleetServer server = TestServers.start(env, null)) {
            // the sources' own timers poll once the config directory is loaded, without being asked
            SmtpDeliveryEndToEndTest.awaitInbox(server, "c@example.com", 1);
            SmtpDeliveryEndToEndTest.awaitInbox(server, "a@example.com", 2);

            CliRun run = cli(env, "fetchmail", "run");
            // the wrong password makes the run as a whole fail, the other sources still fetch
            assertEquals(1, run.code(), run.toString());
            List<MessageMeta> a = SmtpDeliveryEndToEndTest.awaitInbox(server, "a@example.com", 2);
            SmtpDeliveryEndToEndTest.awaitInbox(server, "b@example.com", 1);
            SmtpDeliveryEndToEndTest.awaitInbox(server, "c@example.com", 1);
            assertEquals(2, a.size());

            try (Wire c = Wire.imap(server.listeners().imapPorts().get(false))) {
                c.command("l", "LOGIN a@example.com pw-a");
                c.command("s", "SELECT INBOX");
                String headers = String.join("\n", c.command("f", "FETCH 1:* (BODY.PEEK[HEADER])"));
                assertTrue(headers.contains("Received: from 127.0.0.1 by mail.example.com with fetchmail (POP3)"), headers);
                assertTrue(headers.contains("for <a@example.com>;"), headers);
                assertTrue(headers.contains("Subject: kept one") && headers.contains("Subject: kept two"), headers);
            }
            try (Wire c = Wire.imap(server.listeners().imapPorts().get(false))) {
                c.command("l", "LOGIN c@example.com pw-c");
                c.command("s", "SELECT INBOX");
                String headers = String.join("\n", c.command("f", "FETCH 1 (BODY.PEEK[HEADER])"));
                assertTrue(headers.contains("with fetchmail (IMAP)") && headers.contains("Subject: over imap"), headers);
            }

            // keep leaves the remote copies, no-keep deleted them once they were queued here
            assertEquals(2, remote.inbox(keeper).getMessageCount());
            // the message over the node's size limit was left on the remote, the other one deleted
            assertEquals(1, remote.inbox(deleter).getMessageCount());
            assertTrue(remote.inbox(deleter).getMessages().get(0)
                    .getMimeMessage().getSubject().startsWith("too big"));
            assertEquals(0, remote.inbox(imapUser).getMessageCount());

            // a second poll of everything duplicates nothing; new remote mail is fetched
            keeper.deliver(message("kept three", null));
            CliRun again = cli(env, "fetchmail", "run", "keeper@127.0.0.1");
            assertEquals(0, again.code(), again.toString());
            cli(env, "fetchmail", "run");
            assertEquals(3, SmtpDeliveryEndToEndTest.awaitInbox(server, "a@example.com", 3).size());
            assertEquals(1, SmtpDeliveryEndToEndTest.awaitInbox(server, "b@example.com", 1).size());
            assertEquals(1, SmtpDeliveryEndToEndTest.awaitInbox(server, "c@example.com", 1).size());

            CliRun list = cli(env, "fetchmail", "list");
            assertEquals(0, list.code(), list.toString());
            assertTrue(list.out().contains("keeper@127.0.0.1") && list.out().contains("a@example.com"), list.out());
            String lockedLine = list.out().lines().filter(l -> l.startsWith("locked@127.0.0.1")).findFirst().orElseThrow();
            assertTrue(lockedLine.contains("login refused by 127.0.0.1"), lockedLine);
            assertTrue(list.out().contains("WARNING: " + dms.resolve("fetchmail.cf") + ":9: protocol 'pop2' is not supported"),
                    list.out());

            // the failing source backs off: its next poll is later than the poll interval after the last one
            String metrics = get(env, data, "/api/v1/metrics");
            assertTrue(metrics.contains("mailfleet_fetchmail_messages_total{source=\"keeper@127.0.0.1\"} 3.0"), metrics);
            assertTrue(metrics.contains("mailfleet_fetchmail_polls_total{outcome=\"ok\",source=\"keeper@127.0.0.1\"}"),
                    metrics);
            assertTrue(metrics.contains("mailfleet_fetchmail_polls_total{outcome=\"ok\",source=\"locked@127.0.0.1\"} 0.0"),
                    metrics);
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith(
                    "mailfleet_fetchmail_polls_total{outcome=\"failed\",source=\"locked@127.0.0.1\"}")
                    && !l.endsWith(" 0.0")), metrics);

            JsonNode status = new ObjectMapper().readTree(get(env, data, "/api/v1/fetchmail"));
            JsonNode locked = null;
            for (JsonNode s : status.path("sources")) {
                if (s.path("name").asText().equals("locked@127.0.0.1")) {
                    locked = s;
                }
                if (s.path("name").asText().equals("keeper@127.0.0.1")) {
                    assertEquals(3, s.path("fetchedTotal").asInt(), s.toString());
                    assertTrue(s.path("lastError").isNull(), s.toString());
                }
            }
            assertTrue(locked != null && locked.path("failures").asInt() >= 2, String.valueOf(locked));
            long last = Instant.parse(locked.path("lastPoll").asText()).getEpochSecond();
            long next = Instant.parse(locked.path("nextPoll").asText()).getEpochSecond();
            // 600 s * 2^failures, capped at the default mailfleet.fetchmail.max-backoff of 1h
            assertTrue(next - last >= 4 * 600 - 1, "backed off exponentially: " + locked);
            assertTrue(next - last <= 3600 + 1, "capped: " + locked);
        }
    }

    private static String get(Map<String, String> env, Path data, String path) throws Exception {
        String token = Files.readString(data.resolve("api-token")).strip();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + env.get("MAILFLEET_MANAGEMENT_PORT") + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }
}
