package io.mailfleet.server;

import io.mailfleet.cli.CliRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.user.GreenMailUser;
import io.mailfleet.testkit.Wire;
import jakarta.mail.Flags;
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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.mailfleet.cli.CliRun.cli;

/**
 * docker-mailserver's getmail against third-party POP3 and IMAP servers (GreenMail on loopback), with
 * only {@code ENABLE_GETMAIL} on: each {@code getmail-<ID>.cf} is a source {@code getmail-<ID>} whose
 * remote mail lands once in the account of its {@code -d} argument; {@code delete = true} empties the
 * remote, the default ({@code delete = false}, {@code read_all = false}) keeps the remote mail and fetches
 * only what is new, read or not; a file that cannot be used is reported while the others work.
 */
class GetmailEndToEndTest {

    @TempDir
    Path data;
    @TempDir
    Path dms;
    private RemoteMailbox remote;
    private GreenMailUser popper;
    private GreenMailUser imapper;

    @BeforeEach
    void remote() throws Exception {
        remote = RemoteMailbox.pop3AndImap();
        popper = remote.user("popper@remote.test", "popper", "pop-pw");
        imapper = remote.user("imapper@remote.test", "imapper", "imap-pw");
        popper.deliver(message("popped one"));
        popper.deliver(message("popped two"));
        imapper.deliver(message("already read"));
        imapper.deliver(message("not read yet"));
        // read on the remote before the move: getmail fetches it all the same
        remote.inbox(imapper).getMessages().get(0).setFlag(Flags.Flag.SEEN, true);
    }

    @AfterEach
    void stop() {
        remote.close();
    }

    private static MimeMessage message(String subject) throws Exception {
        return RemoteMailbox.message("x@remote.test", subject);
    }

    @Test
    void remoteMailArrivesOnceDeleteAndReadAllAreHonouredAndABadFileIsReported() throws Exception {
        int pop3 = remote.pop3Port();
        int imap = remote.imapPort();
        Files.writeString(dms.resolve("postfix-accounts.cf"), String.join("\n",
                "a@example.com|{PLAIN}pw-a", "b@example.com|{PLAIN}pw-b", ""));
        Files.writeString(dms.resolve("getmail-pop.cf"), String.join("\n",
                "[retriever]",
                "type = SimplePOP3Retriever",
                "server = 127.0.0.1",
                "port = " + pop3,
                "username = popper",
                "password = pop-pw",
                "",
                "[destination]",
                "type = MDA_external",
                "path = /usr/lib/dovecot/deliver",
                "allow_root_commands = true",
                "arguments =(\"-d\",\"a@example.com\")",
                "",
                "[options]",
                "read_all = false",
                "delete = true",
                ""));
        // as docker-mailserver's documentation shows it, relying on getmailrc_general for the options
        Files.writeString(dms.resolve("getmail-imap.cf"), String.join("\n",
                "[retriever]",
                "type = SimpleIMAPRetriever",
                "server = 127.0.0.1",
                "port = " + imap,
                "username = imapper",
                "password = imap-pw",
                "mailboxes = (\"INBOX\",)",
                "",
                "[destination]",
                "type = MDA_external",
                "path = /usr/lib/dovecot/deliver",
                "arguments = (\"-d\", \"b@example.com\")",
                ""));
        Files.writeString(dms.resolve("getmail-broken.cf"), String.join("\n",
                "[retriever]", "type = SimplePOP3Retriever", "server = 127.0.0.1", "username = x", "password = y",
                "[destination]", "type = Maildir", "path = /var/mail/", ""));
        Map<String, String> env = TestServers.env(data, Map.of("DMS_CONFIG_DIR", dms.toString(),
                "ENABLE_GETMAIL", "1", "GETMAIL_POLL", "30"));
        try (MailfleetServer server = TestServers.start(env, null)) {
            // the sources' own timers poll once the config directory is loaded, without being asked
            SmtpDeliveryEndToEndTest.awaitInbox(server, "a@example.com", 2);
            SmtpDeliveryEndToEndTest.awaitInbox(server, "b@example.com", 2);

            CliRun run = cli(env, "fetchmail", "run");
            assertEquals(0, run.code(), run.toString());
            assertTrue(run.out().contains("getmail-pop") && run.out().contains("getmail-imap"), run.out());
            assertEquals(2, SmtpDeliveryEndToEndTest.awaitInbox(server, "a@example.com", 2).size());
            assertEquals(2, SmtpDeliveryEndToEndTest.awaitInbox(server, "b@example.com", 2).size());

            try (Wire c = Wire.imap(server.listeners().imapPorts().get(false))) {
                c.command("l", "LOGIN b@example.com pw-b");
                c.command("s", "SELECT INBOX");
                String headers = String.join("\n", c.command("f", "FETCH 1:* (BODY.PEEK[HEADER])"));
                assertTrue(headers.contains("Received: from 127.0.0.1 by mail.example.com with fetchmail (IMAP)"), headers);
                assertTrue(headers.contains("for <b@example.com>;"), headers);
                assertTrue(headers.contains("Subject: already read") && headers.contains("Subject: not read yet"), headers);
            }

            // delete = true emptied the POP3 mailbox; the default (delete = false) left the IMAP mail there
            assertEquals(0, remote.inbox(popper).getMessageCount());
            assertEquals(2, remote.inbox(imapper).getMessageCount());

            // read_all = false: a new poll takes only what is new, the kept remote mail is not delivered again
            imapper.deliver(message("arrived later"));
            CliRun again = cli(env, "fetchmail", "run", "getmail-imap");
            assertEquals(0, again.code(), again.toString());
            cli(env, "fetchmail", "run");
            assertEquals(3, SmtpDeliveryEndToEndTest.awaitInbox(server, "b@example.com", 3).size());
            assertEquals(2, SmtpDeliveryEndToEndTest.awaitInbox(server, "a@example.com", 2).size());
            assertEquals(3, remote.inbox(imapper).getMessageCount());

            CliRun list = cli(env, "fetchmail", "list");
            assertEquals(0, list.code(), list.toString());
            String imapLine = list.out().lines().filter(l -> l.startsWith("getmail-imap ")).findFirst().orElseThrow();
            assertTrue(imapLine.contains("imap") && imapLine.contains("b@example.com"), imapLine);
            assertTrue(list.out().lines().anyMatch(l -> l.startsWith("getmail-pop ") && l.contains("a@example.com")),
                    list.out());
            assertTrue(list.out().contains("WARNING: " + dms.resolve("getmail-broken.cf")
                    + ":[destination] type: 'Maildir' is not supported"), list.out());

            String metrics = get(env, data, "/api/v1/metrics");
            assertTrue(metrics.contains("mailfleet_fetchmail_messages_total{source=\"getmail-imap\"} 3.0"), metrics);
            assertTrue(metrics.contains("mailfleet_fetchmail_messages_total{source=\"getmail-pop\"} 2.0"), metrics);

            JsonNode status = new ObjectMapper().readTree(get(env, data, "/api/v1/fetchmail"));
            assertTrue(status.path("enabled").asBoolean(), status.toString());
            assertEquals(30, status.path("getmailPollMinutes").asInt(), status.toString());
            for (JsonNode s : status.path("sources")) {
                if (s.path("name").asText().equals("getmail-imap")) {
                    assertEquals(3, s.path("fetchedTotal").asInt(), s.toString());
                    assertTrue(s.path("keep").asBoolean(), s.toString());
                    long last = java.time.Instant.parse(s.path("lastPoll").asText()).getEpochSecond();
                    long next = java.time.Instant.parse(s.path("nextPoll").asText()).getEpochSecond();
                    // GETMAIL_POLL=30 minutes, not fetchmail's interval
                    assertTrue(next - last >= 30 * 60 - 1 && next - last <= 30 * 60 + 1, s.toString());
                }
            }
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
