package io.mailfleet.server;

import io.mailfleet.cli.CliRun;
import io.mailfleet.cluster.mailbox.MessageMeta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./mailfleet sendmail} as cron and scripts call it, against a running node over real SMTP. */
class SendmailEndToEndTest {

    @TempDir
    Path data;

    private static CliRun sendmail(Map<String, String> env, String stdin, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "sendmail";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.withInput(stdin, env, all);
    }

    @Test
    void aCronStyleMessageIsDeliveredWithItsMissingFieldsAddedAndBccRemoved() throws Exception {
        Map<String, String> env = new HashMap<>(TestServers.env(data, Map.of()));
        env.put("MAILFLEET_SMTP_PORT", Integer.toString(TestServers.freePort()));
        env.put("USER", "cron");
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret", false))) {
            // -t: recipients from the header; LF line ends as a script writes them; no -i, so the
            // lone dot ends the message and what follows it is not sent
            CliRun r = sendmail(env, "To: User <user@example.com>\nBcc: hidden@example.com\nSubject: nightly backup\n\n"
                    + "backup done\n..leading dot\n.\nnot part of it\n", "-t");
            // the Bcc recipient does not exist: sendmail says so (EX_NOUSER) and still sends to the others
            assertEquals(67, r.code(), r.toString());
            assertTrue(r.err().contains("550") && r.err().contains("hidden@example.com"), r.err());

            List<MessageMeta> inbox = SmtpDeliveryEndToEndTest.awaitInbox(server, "user@example.com", 1);
            String stored;
            try (InputStream in = server.blobs().open(inbox.get(0).blob())) {
                stored = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertTrue(stored.contains("\r\nFrom: <cron@mail.example.com>\r\n"), stored);
            assertTrue(stored.contains("\r\nDate: "), stored);
            assertTrue(stored.contains("\r\nMessage-ID: <") && stored.contains("@mail.example.com>\r\n"), stored);
            assertTrue(stored.contains("\r\nTo: User <user@example.com>\r\nSubject: nightly backup\r\n\r\n"
                    + "backup done\r\n..leading dot\r\n"), stored);
            assertFalse(stored.contains("Bcc:") || stored.contains("hidden@"), stored);
            assertFalse(stored.contains("not part of it"), stored);

            // -i: a lone dot is data; -f sets the envelope sender; recipients on the command line
            CliRun dot = sendmail(env, "Subject: dots\n\nline\n.\nafter\n", "-i", "-f", "<ops@example.com>",
                    "-F", "Ops Team", "user@example.com");
            assertEquals(0, dot.code(), dot.toString());
            inbox = SmtpDeliveryEndToEndTest.awaitInbox(server, "user@example.com", 2);
            try (InputStream in = server.blobs().open(inbox.get(1).blob())) {
                stored = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertTrue(stored.contains("\r\nFrom: Ops Team <ops@example.com>\r\n"), stored);
            assertTrue(stored.endsWith("\r\nline\r\n.\r\nafter\r\n"), stored);
            assertTrue(stored.contains("Return-Path: <ops@example.com>") || stored.contains("ops@example.com"), stored);
        }
    }

    @Test
    void usageErrorsAndAnUnreachableNodeGiveSendmailsExitCodes() throws Exception {
        Map<String, String> env = new HashMap<>(TestServers.env(data, Map.of()));
        env.put("MAILFLEET_SMTP_PORT", Integer.toString(TestServers.freePort()));
        CliRun none = sendmail(env, "Subject: x\n\nbody\n");
        assertEquals(64, none.code(), none.toString());
        assertTrue(none.err().contains("no recipients"), none.err());
        CliRun mode = sendmail(env, "", "-bp");
        assertEquals(64, mode.code(), mode.toString());
        assertTrue(mode.err().contains("-bp"), mode.err());
        CliRun noHeaderRecipients = sendmail(env, "Subject: x\n\nbody\n", "-t");
        assertEquals(64, noHeaderRecipients.code(), noHeaderRecipients.toString());
        // nothing listens on the configured port: a temporary failure, so the caller may retry
        CliRun down = sendmail(env, "Subject: x\n\nbody\n", "user@example.com");
        assertEquals(75, down.code(), down.toString());
        assertTrue(down.err().contains("cannot hand the message to the node at 127.0.0.1:" + env.get("MAILFLEET_SMTP_PORT")),
                down.err());
    }
}
