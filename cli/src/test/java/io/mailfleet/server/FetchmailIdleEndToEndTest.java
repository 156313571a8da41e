package io.mailfleet.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.user.GreenMailUser;
import io.mailfleet.cli.Cli;
import io.mailfleet.cluster.mailbox.MessageMeta;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * fetchmail with IMAP IDLE against a third-party IMAP server (GreenMail): with a poll interval of an hour,
 * a message delivered to the remote after the first poll still arrives (only the IDLE connection can have
 * announced it); a source with {@code no idle} is polled only; {@code fetchmail list} and the API show
 * which sources wait in IDLE.
 */
class FetchmailIdleEndToEndTest {

    @TempDir
    Path data;
    @TempDir
    Path dms;
    private RemoteMailbox remote;
    private GreenMailUser idler;

    @BeforeEach
    void remote() throws Exception {
        remote = RemoteMailbox.imap();
        idler = remote.user("idler@remote.test", "idler", "idle-pw");
        remote.user("poller@remote.test", "poller", "poll-pw");
        idler.deliver(message("before the first poll"));
    }

    @AfterEach
    void stop() {
        remote.close();
    }

    @Test
    void mailArrivingOnTheRemoteIsFetchedWithoutWaitingForThePollInterval() throws Exception {
        int imap = remote.imapPort();
        Files.writeString(dms.resolve("postfix-accounts.cf"), "a@example.com|{PLAIN}pw-a\nb@example.com|{PLAIN}pw-b\n");
        Files.writeString(dms.resolve("fetchmail.cf"), String.join("\n",
                "poll 127.0.0.1 proto imap port " + imap + " user 'idler' pass 'idle-pw' is 'a@example.com' here",
                "poll 127.0.0.1 proto imap port " + imap + " user 'poller' pass 'poll-pw' is 'b@example.com' here",
                "  options no idle",
                ""));
        Map<String, String> env = TestServers.env(data, Map.of("DMS_CONFIG_DIR", dms.toString(),
                "ENABLE_FETCHMAIL", "1", "FETCHMAIL_POLL", "3600"));
        try (MailfleetServer server = TestServers.start(env, null)) {
            awaitInbox(server, "a@example.com", 1);
            JsonNode idling = awaitSource(env, "idler@127.0.0.1", true);
            assertTrue(idling.path("idle").asBoolean(), idling.toString());

            // the next poll is an hour away: only the IDLE connection's EXISTS can bring this one now
            idler.deliver(message("while the node idles"));
            List<MessageMeta> inbox = awaitInbox(server, "a@example.com", 2);
            assertEquals(2, inbox.size());

            JsonNode polled = awaitSource(env, "poller@127.0.0.1", false);
            assertFalse(polled.path("idle").asBoolean(), polled.toString());
            assertFalse(polled.path("watching").asBoolean(), polled.toString());

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = Cli.run(new String[]{"fetchmail", "list"}, new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()), env);
            String list = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, list);
            String idlerLine = list.lines().filter(l -> l.startsWith("idler@127.0.0.1")).findFirst().orElseThrow();
            assertTrue(idlerLine.contains("imap IDLE"), list);
            String pollerLine = list.lines().filter(l -> l.startsWith("poller@127.0.0.1")).findFirst().orElseThrow();
            assertFalse(pollerLine.contains("IDLE"), list);
        }
        // fetched without keep: the remote copies were deleted once queued here
        assertEquals(0, remote.inbox(idler).getMessageCount());
    }

    private static List<MessageMeta> awaitInbox(MailfleetServer server, String account, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        List<MessageMeta> got = List.of();
        while (System.nanoTime() < deadline) {
            got = server.node().mailboxes().messages(account, "INBOX").toCompletableFuture().get(20, TimeUnit.SECONDS);
            if (got.size() >= count) {
                return got;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("expected " + count + " messages in " + account + " INBOX, found " + got.size());
    }

    /** The API's status of {@code name} once its {@code watching} is {@code watching}. */
    private JsonNode awaitSource(Map<String, String> env, String name, boolean watching) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            for (JsonNode s : new ObjectMapper().readTree(get(env, "/api/v1/fetchmail")).path("sources")) {
                if (s.path("name").asText().equals(name)) {
                    last = s;
                    if (s.path("watching").asBoolean() == watching && s.path("lastSuccess").isTextual()) {
                        return s;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " never had watching=" + watching + ": " + last);
    }

    private String get(Map<String, String> env, String path) throws Exception {
        String token = Files.readString(data.resolve("api-token")).strip();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + env.get("MAILFLEET_MANAGEMENT_PORT") + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static MimeMessage message(String subject) throws Exception {
        return RemoteMailbox.message("idler@remote.test", subject);
    }
}
