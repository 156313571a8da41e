package io.mailfleet.server.scan;

import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
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
 * ENABLE_RSPAMD=1 on a whole node against a real Rspamd whose action is obeyed: GTUBE is rejected
 * (554 5.7.1), "add header" files the message in Junk (X-Spam: Yes), greylist defers it (451 4.7.1),
 * no action delivers it with Rspamd's result fields. The test Rspamd picks the action by envelope sender.
 */
class RspamdEndToEndTest {

    @TempDir
    static Path daemons;
    private static Rspamd rspamd;
    @TempDir
    Path data;

    @BeforeAll
    static void startRspamd() throws Exception {
        rspamd = Rspamd.start(daemons);
    }

    @AfterAll
    static void stopRspamd() throws Exception {
        if (rspamd != null) {
            rspamd.close();
        }
    }

    @Test
    void rspamdsActionIsObeyed() throws Exception {
        Map<String, String> env = ScanMail.env(data, Map.of("ENABLE_RSPAMD", "1", "MAILFLEET_RSPAMD_URL", rspamd.url()), "");
        try (MailfleetServer server = TestServers.start(env, new FirstAccount(ScanMail.ACCOUNT, "secret", false))) {
            assertEquals("554 5.7.1 Spam message rejected", ScanMail.sendFrom(server, "127.0.0.1", "clean@remote.example",
                    ScanMail.message("gtube", Spamd.GTUBE, null)));
            assertEquals("451 4.7.1 Greylisted, please try again later", ScanMail.sendFrom(server, "127.0.0.1",
                    "grey@remote.example", ScanMail.message("grey", "hello", null)));
            assertTrue(ScanMail.sendFrom(server, "127.0.0.1", "junk@remote.example",
                    ScanMail.message("junk", "hello", null)).startsWith("250 2.0.0 Ok: queued"));
            assertTrue(ScanMail.sendFrom(server, "127.0.0.1", "clean@remote.example",
                    ScanMail.message("clean", "hello", null)).startsWith("250 2.0.0 Ok: queued"));

            String junk = ScanMail.await(server, "Junk", 1).get(0);
            assertTrue(junk.startsWith("X-Spam: Yes\r\nX-Spamd-Result: default: True ["), junk);
            assertTrue(junk.contains("\r\nX-Rspamd-Action: add header\r\n"), junk);
            assertTrue(junk.contains("Subject: junk"), junk);
            List<String> inbox = ScanMail.await(server, "INBOX", 1);
            assertEquals(1, inbox.size());
            assertTrue(inbox.get(0).startsWith("X-Spamd-Result: default: False ["), inbox.get(0));
            assertTrue(inbox.get(0).contains("\r\nX-Rspamd-Action: no action\r\n"), inbox.get(0));
            assertFalse(inbox.get(0).contains("X-Spam: Yes"), inbox.get(0));
            assertTrue(ScanMail.metrics(env).contains(
                    "mailfleet_scanner_calls_total{outcome=\"answered\",scanner=\"rspamd\"} 4.0"));
        }
    }
}
