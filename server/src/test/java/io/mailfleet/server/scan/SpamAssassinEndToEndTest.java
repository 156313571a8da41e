package io.mailfleet.server.scan;

import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ENABLE_SPAMASSASSIN=1 on a whole node against a real spamd: GTUBE's score goes over SA_TAG2 and
 * SA_KILL, so it is filed in Junk with SpamAssassin's header fields (SPAMASSASSIN_SPAM_TO_INBOX=1, the
 * default) or refused with 554 5.7.1 (=0); clean mail reaches INBOX; authenticated submission is not scanned.
 */
class SpamAssassinEndToEndTest {

    @TempDir
    static Path daemons;
    private static Spamd spamd;
    @TempDir
    Path data;

    @BeforeAll
    static void startSpamd() throws Exception {
        spamd = Spamd.start(daemons);
    }

    @AfterAll
    static void stopSpamd() throws Exception {
        if (spamd != null) {
            spamd.close();
        }
    }

    private static MailfleetServer start(Map<String, String> env) throws Exception {
        return TestServers.start(env, new FirstAccount(ScanMail.ACCOUNT, "secret", false));
    }

    @Test
    void gtubeIsFiledInJunkWithSpamAssassinsFieldsAndCleanMailReachesTheInbox() throws Exception {
        Map<String, String> env = ScanMail.env(data, Map.of("ENABLE_SPAMASSASSIN", "1",
                "MAILFLEET_SPAMD_ADDRESS", spamd.address()), "");
        try (MailfleetServer server = start(env)) {
            assertTrue(ScanMail.send(server, ScanMail.message("gtube", Spamd.GTUBE, null)).startsWith("250 2.0.0 Ok: queued"));
            assertTrue(ScanMail.send(server, ScanMail.message("clean", "Hello Alice, the minutes of today's meeting"
                    + " are below. Regards, Bob", null)).startsWith("250 2.0.0 Ok: queued"));
            // authenticated submission: not scanned (docker-mailserver's amavis leaves ORIGINATING mail alone)
            try (Wire c = Smtp.submission(server.listeners().smtpPorts().get(SmtpMode.SUBMISSION), ScanMail.ACCOUNT,
                    "secret")) {
                Smtp.submit(c, "<" + ScanMail.ACCOUNT + ">", List.of("<" + ScanMail.ACCOUNT + ">"),
                        ScanMail.message("own gtube", Spamd.GTUBE, null));
            }

            String junk = ScanMail.await(server, "Junk", 1).get(0);
            // GTUBE scores 1000, give or take the other rules that hit
            assertTrue(junk.matches("(?s)X-Spam-Flag: YES\r\nX-Spam-Score: (9\\d\\d|1\\d{3}).*"), junk);
            assertTrue(junk.contains("\r\nX-Spam-Level: " + "*".repeat(64) + "\r\n"), junk);
            assertTrue(junk.matches("(?s).*\r\nX-Spam-Status: Yes, score=(9\\d\\d|1\\d{3}).*"), junk);
            assertTrue(junk.contains(" tagged_above=2 required=6.31\r\n\ttests=[") && junk.contains("GTUBE"), junk);
            assertTrue(junk.contains("Subject: gtube"), junk);
            List<String> inbox = ScanMail.await(server, "INBOX", 2);
            assertEquals(2, inbox.size(), inbox.toString());
            for (String m : inbox) {
                assertFalse(m.contains("X-Spam-Flag: YES"), m);
            }
            String metrics = ScanMail.metrics(env);
            assertTrue(metrics.contains("mailfleet_scanner_calls_total{outcome=\"answered\",scanner=\"spamassassin\"} 2.0"),
                    metrics);
        }
    }

    @Test
    void overSaKillWithoutSpamToInboxTheMessageIsRefused() throws Exception {
        Map<String, String> env = ScanMail.env(data, Map.of("ENABLE_SPAMASSASSIN", "1",
                "MAILFLEET_SPAMD_ADDRESS", spamd.address(), "SPAMASSASSIN_SPAM_TO_INBOX", "0"), "");
        try (MailfleetServer server = start(env)) {
            assertEquals("554 5.7.1 Spam message rejected", ScanMail.send(server, ScanMail.message("gtube", Spamd.GTUBE, null)));
            assertTrue(ScanMail.send(server, ScanMail.message("clean", "Hello Alice, see you tomorrow.", null))
                    .startsWith("250 2.0.0 Ok: queued"));
            assertEquals(1, ScanMail.await(server, "INBOX", 1).size());
        }
    }
}
