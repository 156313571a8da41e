package io.mailfleet.server.sieve;

import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.service.SieveScriptStore;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.protocols.smtp.SmtpMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.mailfleet.server.sieve.SieveMail.await;
import static io.mailfleet.server.sieve.SieveMail.awaitLocalDone;
import static io.mailfleet.server.sieve.SieveMail.headers;
import static io.mailfleet.server.sieve.SieveMail.messages;
import static io.mailfleet.server.sieve.SieveMail.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The vacation memory is persisted: a node restart does not make the script answer the same sender again. */
class VacationAcrossRestartEndToEndTest {

    @TempDir
    Path data;

    @Test
    void oneReplyPerSenderEvenAcrossARestart() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of());
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("vac@example.com", "secret", false))) {
            server.node().directory().apply(new DirectoryChange.AddAccount("sender@example.com",
                    PasswordSchemes.hash("secret"))).toCompletableFuture().get(20, TimeUnit.SECONDS);
            SieveScriptStore scripts = server.node().sieveScripts();
            scripts.put("vac@example.com", "away", "require \"vacation\";\nvacation :days 7 \"Back next week.\";\n")
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            scripts.setActive("vac@example.com", "away").toCompletableFuture().get(20, TimeUnit.SECONDS);
            int mx = server.listeners().smtpPorts().get(SmtpMode.MX);
            send(mx, "sender@example.com", "vac@example.com", headers("sender@example.com", "vac@example.com", "one"), "1");
            await(server, "sender@example.com", "INBOX", 1);
            awaitLocalDone(server);
        }
        try (MailfleetServer again = TestServers.start(env, null)) {
            int mx = again.listeners().smtpPorts().get(SmtpMode.MX);
            send(mx, "sender@example.com", "vac@example.com", headers("sender@example.com", "vac@example.com", "two"), "2");
            await(again, "vac@example.com", "INBOX", 2);
            awaitLocalDone(again);
            assertEquals(1, messages(again, "sender@example.com", "INBOX").size(), "no second reply after the restart");
        }
    }
}
