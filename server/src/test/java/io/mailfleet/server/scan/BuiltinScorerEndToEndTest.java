package io.mailfleet.server.scan;

import io.mailfleet.core.spam.ContentScan;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in scorer on a real node's port 25: no external service, thresholds as docker-mailserver's. */
class BuiltinScorerEndToEndTest {

    @TempDir
    Path data;

    @Test
    void gtubeAndAnomalousMailGoToJunkCleanMailToInboxAndKillRefusesWhenAsked() throws Exception {
        // 127.0.0.1 is a trusted network here, 127.0.0.2 an Internet client
        Map<String, String> env = ScanMail.env(data, Map.of("MAILFLEET_SPAM_SCORER", "1",
                "TRUSTED_NETWORKS", "127.0.0.1/32"), "");
        try (MailfleetServer server = TestServers.start(env, new FirstAccount(ScanMail.ACCOUNT, "secret", false))) {
            assertTrue(ScanMail.send(server, "127.0.0.2", ScanMail.message("hello", "see you", null))
                    .startsWith("250 "));
            List<String> inbox = ScanMail.await(server, "INBOX", 1);
            assertFalse(inbox.get(0).contains("X-Spam-"), inbox.get(0));

            // GTUBE scores 1000: over SA_KILL, delivered as spam (SPAMASSASSIN_SPAM_TO_INBOX defaults to 1)
            assertTrue(ScanMail.send(server, "127.0.0.2", ScanMail.message("test", ContentScan.GTUBE, null))
                    .startsWith("250 "));
            // an .exe-like attachment (.com) without Date and Message-ID: 5 + 1 + 1.5 = 7.5 >= SA_TAG2 6.31
            String anomalous = ScanMail.message("invoice", "open it", "MZ fake")
                    .replaceAll("Date: [^\r]*\r\n", "").replaceAll("Message-ID: [^\r]*\r\n", "");
            assertTrue(ScanMail.send(server, "127.0.0.2", anomalous).startsWith("250 "));
            List<String> junk = ScanMail.await(server, "Junk", 2);
            assertTrue(junk.get(0).startsWith("X-Spam-Flag: YES\r\nX-Spam-Score: 1000\r\n"), junk.get(0));
            assertTrue(junk.get(0).contains("GTUBE=1000"), junk.get(0));
            assertTrue(junk.get(1).contains("MIME_BAD_EXTENSION=5") && junk.get(1).contains("MISSING_MID=1.5"),
                    junk.get(1));
            // trusted clients (TRUSTED_NETWORKS) are not scored
            assertTrue(ScanMail.send(server, "127.0.0.1", ScanMail.message("trusted", ContentScan.GTUBE, null))
                    .startsWith("250 "));
            assertEquals(2, ScanMail.await(server, "INBOX", 2).size());
        }
    }

    @Test
    void atKillTheMessageIsRefusedBeforeThe250WhenSpamDoesNotGoToTheInbox() throws Exception {
        Map<String, String> env = ScanMail.env(data, Map.of("MAILFLEET_SPAM_SCORER", "1",
                "SPAMASSASSIN_SPAM_TO_INBOX", "0"), "");
        try (MailfleetServer server = TestServers.start(env, new FirstAccount(ScanMail.ACCOUNT, "secret", false))) {
            assertEquals("554 5.7.1 Spam message rejected",
                    ScanMail.send(server, "127.0.0.2", ScanMail.message("test", ContentScan.GTUBE, null)));
        }
    }
}
