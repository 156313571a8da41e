package io.mailfleet.server.sieve;

import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.protocols.smtp.SmtpMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.mailfleet.server.sieve.SieveMail.await;
import static io.mailfleet.server.sieve.SieveMail.awaitLocalDone;
import static io.mailfleet.server.sieve.SieveMail.headers;
import static io.mailfleet.server.sieve.SieveMail.messages;
import static io.mailfleet.server.sieve.SieveMail.send;
import static io.mailfleet.server.sieve.SieveMail.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docker-mailserver spam routing (MOVE_SPAM_TO_JUNK, MARK_SPAM_AS_READ, SPAM_SUBJECT) without any user script. */
class SpamRoutingEndToEndTest {

    @TempDir
    Path data;

    @Test
    void spamGoesToJunkReadAndWithSubjectPrefix() throws Exception {
        try (MailfleetServer server = TestServers.start(TestServers.env(data, Map.of("MARK_SPAM_AS_READ", "1",
                "SPAM_SUBJECT", "[SPAM] ")), new FirstAccount("user@example.com", "secret", false))) {
            int mx = server.listeners().smtpPorts().get(SmtpMode.MX);
            send(mx, "a@remote.example", "user@example.com",
                    headers("a@remote.example", "user@example.com", "cheap pills", "X-Spam: Yes"), "buy");
            send(mx, "a@remote.example", "user@example.com",
                    headers("a@remote.example", "user@example.com", "more pills", "X-Spam-Flag: YES"), "buy");
            send(mx, "a@remote.example", "user@example.com",
                    headers("a@remote.example", "user@example.com", "hello", "X-Spam: No"), "hi");
            var junk = await(server, "user@example.com", "Junk", 2);
            for (MessageMeta m : junk) {
                assertTrue(m.flags().contains("\\Seen"), m.flags().toString());
                String t = text(server, m);
                assertTrue(t.contains("Subject: [SPAM] cheap pills") || t.contains("Subject: [SPAM] more pills"), t);
                assertFalse(t.contains("Subject: cheap pills") || t.contains("Subject: more pills"), t);
            }
            MessageMeta ham = await(server, "user@example.com", "INBOX", 1).get(0);
            assertFalse(ham.flags().contains("\\Seen"));
            assertTrue(text(server, ham).contains("Subject: hello\r\n"));
            awaitLocalDone(server);
            assertEquals(1, messages(server, "user@example.com", "INBOX").size());
        }
    }

    @Test
    void withoutMoveToJunkSpamStaysInInboxUnchanged() throws Exception {
        try (MailfleetServer server = TestServers.start(TestServers.env(data, Map.of("MOVE_SPAM_TO_JUNK", "0")),
                new FirstAccount("user@example.com", "secret", false))) {
            int mx = server.listeners().smtpPorts().get(SmtpMode.MX);
            send(mx, "a@remote.example", "user@example.com",
                    headers("a@remote.example", "user@example.com", "cheap pills", "X-Spam-Flag: YES"), "buy");
            MessageMeta m = await(server, "user@example.com", "INBOX", 1).get(0);
            assertFalse(m.flags().contains("\\Seen"));
            assertTrue(text(server, m).contains("Subject: cheap pills\r\n"));
            awaitLocalDone(server);
            assertEquals(0, messages(server, "user@example.com", "Junk").size());
        }
    }
}
