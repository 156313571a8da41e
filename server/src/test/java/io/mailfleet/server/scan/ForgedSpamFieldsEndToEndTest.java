package io.mailfleet.server.scan;

import io.mailfleet.core.spam.ContentScan;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * X-Spam fields a sender wrote are not ours: on a message the built-in scorer judged (port 25), Junk filing
 * and the mailbox see only the fields Mailfleet wrote; a trusted client's are kept. Sent over SMTP, read
 * back over IMAP.
 */
class ForgedSpamFieldsEndToEndTest {

    @TempDir
    Path data;

    static final String FORGED_HAM = "X-Spam-Flag: NO\r\nX-Spam-Status: No, score=-5.0\r\n\trequired=5.0 tests=[ALL_TRUSTED]\r\n"
            + "X-Spam-Score: -5\r\nX-Spam-Level: \r\nX-Spam-Checker-Version: SpamAssassin 4.0.0\r\n"
            + "X-Spamd-Result: default: False [-5.00 / 15.00]\r\nX-Rspamd-Action: no action\r\n"
            + "X-Spammer-Note: not one of ours, kept\r\n";

    /** The header section of message {@code n} of {@code folder}, fetched over IMAP. */
    static String header(int port, String folder, int n) throws Exception {
        try (Wire imap = Wire.imap(port)) {
            assertTrue(Wire.last(imap.command("a1", "LOGIN " + ScanMail.ACCOUNT + " secret")).startsWith("a1 OK"));
            assertTrue(Wire.last(imap.command("a2", "SELECT " + folder)).startsWith("a2 OK"));
            List<String> lines = imap.command("a3", "FETCH " + n + " BODY.PEEK[HEADER]");
            assertTrue(Wire.last(lines).startsWith("a3 OK"), lines.toString());
            return String.join("\r\n", lines);
        }
    }

    static int count(String text, String field) {
        Matcher m = Pattern.compile("(?im)^" + Pattern.quote(field) + ":").matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void onlyOurSpamFieldsReachTheMailboxAndJunkFiling() throws Exception {
        // 127.0.0.1 is a trusted network here, 127.0.0.2 an Internet client
        Map<String, String> env = ScanMail.env(data, Map.of("MAILFLEET_SPAM_SCORER", "1",
                "TRUSTED_NETWORKS", "127.0.0.1/32"), "");
        try (MailfleetServer server = TestServers.start(env, new FirstAccount(ScanMail.ACCOUNT, "secret", false))) {
            int imap = server.listeners().imapPorts().get(false);
            // GTUBE: spam by our scorer, dressed up as ham by its sender
            assertTrue(ScanMail.send(server, "127.0.0.2", FORGED_HAM + ScanMail.message("offer", ContentScan.GTUBE, null))
                    .startsWith("250 "));
            ScanMail.await(server, "Junk", 1);
            String spam = header(imap, "Junk", 1);
            assertEquals(1, count(spam, "X-Spam-Flag"), spam);
            assertTrue(spam.contains("X-Spam-Flag: YES"), spam);
            assertEquals(1, count(spam, "X-Spam-Status"), spam);
            assertTrue(spam.contains("X-Spam-Status: Yes, score=1000"), spam);
            assertEquals(1, count(spam, "X-Spam-Score"), spam);
            assertEquals(1, count(spam, "X-Spam-Level"), spam);
            for (String gone : List.of("X-Spam-Checker-Version", "X-Spamd-Result", "X-Rspamd-Action")) {
                assertEquals(0, count(spam, gone), spam);
            }
            assertFalse(spam.contains("ALL_TRUSTED"), "the folded line went with its field\n" + spam);
            assertTrue(spam.contains("X-Spammer-Note: not one of ours, kept") && spam.contains("Subject: offer"), spam);
            assertTrue(ScanMail.await(server, "Junk", 1).get(0).contains(ContentScan.GTUBE), "the body is intact");

            // ham by our scorer, marked as spam by its sender: it stays in INBOX, without the sender's fields
            assertTrue(ScanMail.send(server, "127.0.0.2", "X-Spam-Flag: YES\r\nX-Spam: Yes\r\n"
                    + ScanMail.message("lunch", "see you at noon", null)).startsWith("250 "));
            ScanMail.await(server, "INBOX", 1);
            String ham = header(imap, "INBOX", 1);
            assertEquals(0, count(ham, "X-Spam-Flag"), ham);
            assertEquals(0, count(ham, "X-Spam"), ham);
            assertTrue(ham.contains("Subject: lunch"), ham);
            assertEquals(1, ScanMail.await(server, "Junk", 1).size());

            // a trusted client is not judged: its fields stand (an upstream filter's, say) and are obeyed
            assertTrue(ScanMail.send(server, "127.0.0.1", "X-Spam-Flag: YES\r\n"
                    + ScanMail.message("filtered upstream", "buy", null)).startsWith("250 "));
            List<String> junk = ScanMail.await(server, "Junk", 2);
            assertTrue(junk.get(1).contains("X-Spam-Flag: YES") && junk.get(1).contains("Subject: filtered upstream"),
                    junk.get(1));
            assertEquals(1, ScanMail.await(server, "INBOX", 1).size());
        }
    }
}
