package io.mailfleet.server.outbound;

import io.mailfleet.protocols.outbound.SinkSmtpServer;

import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.mailfleet.server.outbound.OutboundDeliveryTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 3461 parameters given at submission (port 587 + AUTH) are honoured end to end: NOTIFY=SUCCESS gets a
 * "relayed" notice from a relay without DSN, NOTIFY=NEVER suppresses the bounce, RET selects full message or
 * headers in the report's third part, and NOTIFY=DELAY gets a delay warning once mail is older than
 * {@code mailfleet.outbound.delay-warning}. The remote is one sink behind DEFAULT_RELAY_HOST (no DNS).
 */
class DsnNotifyTest {

    private static final String SENDER = "sender@example.com";
    private static final String PASSWORD = "secret-password";

    @TempDir
    static Path data;

    static SinkSmtpServer sink;
    static MailfleetServer server;
    static int submissions;

    @BeforeAll
    static void start() throws Exception {
        sink = new SinkSmtpServer(InetAddress.getByName("127.0.0.1"), 0);
        sink.rcptReply = r -> r.contains("fail") ? "550 5.1.1 no such user here"
                : r.contains("later") ? "451 4.3.0 try again later" : "250 2.1.5 Ok";
        server = TestServers.start(TestServers.env(data, Map.of(
                "DEFAULT_RELAY_HOST", "[127.0.0.1]:" + sink.port(),
                "MAILFLEET_RETRY_FIRST", "1s",
                "MAILFLEET_RETRY_MAX", "2s",
                "MAILFLEET_QUEUE_LIFETIME", "120s",
                "MAILFLEET_DELAY_WARNING", "2s",
                "MAILFLEET_SMTP_CLIENT_TIMEOUT", "5s")),
                new FirstAccount(SENDER, PASSWORD, false));
        submissions = server.listeners().smtpPorts().get(SmtpMode.SUBMISSION);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    private static String submit(String mailFromArgs, List<String> rcptArgs, String subject) throws Exception {
        String msg = "From: <" + SENDER + ">\r\nTo: <someone@remote.example>\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject.replace(' ', '-') + "@example.com>\r\n\r\nThe body of " + subject + ".\r\n";
        try (Wire c = Smtp.submission(submissions, SENDER, PASSWORD)) {
            return Smtp.submit(c, mailFromArgs, rcptArgs, msg);
        }
    }

    private static List<String> inbox() throws Exception {
        List<MessageMeta> metas = server.node().mailboxes().messages(SENDER, "INBOX").toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        List<String> out = new ArrayList<>();
        for (MessageMeta m : metas) {
            try (InputStream in = server.blobs().open(m.blob())) {
                out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** Reports in the sender's INBOX about queue id {@code id} (the returned original carries that id). */
    private static List<String> reportsFor(String id) throws Exception {
        return inbox().stream().filter(m -> m.contains("X-Mailfleet-Queue-ID: " + id)).toList();
    }

    private static String awaitReport(String id, String containing) throws Exception {
        String[] found = new String[1];
        waitFor(() -> {
            try {
                for (String m : reportsFor(id)) {
                    if (m.contains(containing)) {
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

    private static boolean finished(String id) {
        try {
            List<QueuedMessage> all = server.node().queue().list().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return all.stream().noneMatch(q -> q.queueId().equals(id) && !q.finished());
        } catch (Exception e) {
            return false;
        }
    }

    /** The body parts of a multipart message, each with its own header section. */
    private static List<String> parts(String message) {
        Matcher m = Pattern.compile("boundary=\"?([^\";\r\n]+)\"?").matcher(message);
        assertTrue(m.find(), "no boundary in " + message);
        String delimiter = "\r\n--" + m.group(1);
        String[] pieces = message.split(Pattern.quote(delimiter), -1);
        List<String> out = new ArrayList<>();
        // pieces[0] is the header and preamble, the last piece starts with the closing "--"
        for (int i = 1; i < pieces.length - 1; i++) {
            out.add(pieces[i].replaceFirst("^[ \t]*\r\n", ""));
        }
        return out;
    }

    @Test
    void notifySuccessGetsARelayedNoticeWhenTheRemoteLacksDsn() throws Exception {
        String id = submit("<" + SENDER + ">", List.of("<ok@remote.example> NOTIFY=SUCCESS"), "success notice");
        waitFor(() -> sink.received.stream().anyMatch(r -> r.text().contains("The body of success notice.")));
        String report = awaitReport(id, "delivery-status");
        assertTrue(report.contains("report-type=delivery-status"), report);
        assertTrue(report.contains("Final-Recipient: rfc822; ok@remote.example"), report);
        assertTrue(report.contains("Action: relayed") || report.contains("Action: delivered"), report);
        assertTrue(report.contains("Status: 2."), report);
        assertFalse(report.contains("Action: failed"), report);
        SinkSmtpServer.Received r = sink.received.stream()
                .filter(x -> x.text().contains("The body of success notice.")).findFirst().orElseThrow();
        assertFalse(r.rcptTo().get(0).toUpperCase().contains("NOTIFY="), "the sink offers no DSN: " + r.rcptTo());
    }

    @Test
    void noSuccessNoticeWithoutNotifySuccess() throws Exception {
        String id = submit("<" + SENDER + ">", List.of("<plain@remote.example>"), "no notice");
        waitFor(() -> finished(id));
        // A later report for another message proves the report pipeline ran past this one.
        String control = submit("<" + SENDER + ">", List.of("<ok2@remote.example> NOTIFY=SUCCESS"), "control notice");
        awaitReport(control, "delivery-status");
        assertEquals(List.of(), reportsFor(id));
    }

    @Test
    void notifyNeverSuppressesTheBounceOfThatRecipientOnly() throws Exception {
        String both = submit("<" + SENDER + ">",
                List.of("<fail-quiet@remote.example> NOTIFY=NEVER", "<fail-loud@remote.example> NOTIFY=FAILURE"),
                "two failures");
        String report = awaitReport(both, "Action: failed");
        assertTrue(report.contains("Final-Recipient: rfc822; fail-loud@remote.example"), report);
        assertFalse(report.contains("fail-quiet@remote.example"), "NOTIFY=NEVER recipient reported: " + report);

        String never = submit("<" + SENDER + ">", List.of("<fail-never@remote.example> NOTIFY=NEVER"), "never bounce");
        waitFor(() -> finished(never));
        String control = submit("<" + SENDER + ">", List.of("<fail-control@remote.example> NOTIFY=FAILURE"), "control bounce");
        awaitReport(control, "Action: failed");
        assertEquals(List.of(), reportsFor(never), "no bounce for NOTIFY=NEVER");
    }

    @Test
    void retFullReturnsTheWholeOriginalAsMessageRfc822() throws Exception {
        String id = submit("<" + SENDER + "> RET=FULL", List.of("<fail-full@remote.example>"), "full return");
        String report = awaitReport(id, "Action: failed");
        List<String> parts = parts(report);
        assertEquals(3, parts.size(), report);
        assertTrue(parts.get(1).contains("Content-Type: message/delivery-status"), parts.get(1));
        assertTrue(parts.get(2).startsWith("Content-Type: message/rfc822") || parts.get(2).contains("\r\nContent-Type: message/rfc822"),
                parts.get(2));
        assertTrue(parts.get(2).contains("Subject: full return"), parts.get(2));
        assertTrue(parts.get(2).contains("The body of full return."), "RET=FULL returns the body: " + parts.get(2));
    }

    @Test
    void retHdrsReturnsOnlyTheHeadersAsTextRfc822Headers() throws Exception {
        String id = submit("<" + SENDER + "> RET=HDRS", List.of("<fail-hdrs@remote.example>"), "headers return");
        String report = awaitReport(id, "Action: failed");
        List<String> parts = parts(report);
        assertEquals(3, parts.size(), report);
        assertTrue(parts.get(2).contains("Content-Type: text/rfc822-headers"), parts.get(2));
        assertTrue(parts.get(2).contains("Subject: headers return"), parts.get(2));
        assertFalse(report.contains("The body of headers return."), "RET=HDRS must not return the body: " + report);
    }

    @Test
    void notifyDelayGetsAWarningOnceMailIsOlderThanTheDelayWarningTime() throws Exception {
        String id = submit("<" + SENDER + ">", List.of("<later@remote.example> NOTIFY=DELAY,FAILURE"), "delayed mail");
        String report = awaitReport(id, "Action: delayed");
        assertTrue(report.contains("report-type=delivery-status"), report);
        assertTrue(report.contains("Final-Recipient: rfc822; later@remote.example"), report);
        assertTrue(report.contains("Status: 4."), report);
        assertTrue(report.contains("451 4.3.0 try again later"), report);
        assertFalse(finished(id), "the delayed message stays queued for further retries");
    }
}
