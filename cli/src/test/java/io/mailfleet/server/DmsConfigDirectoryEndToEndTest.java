package io.mailfleet.server;

import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.cli.Cli;
import io.mailfleet.protocols.smtp.SmtpMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node pointed at a docker-mailserver config directory loads it, follows edits, and writes CLI changes back. */
class DmsConfigDirectoryEndToEndTest {

    @TempDir
    Path data;

    @TempDir
    Path dms;

    @Test
    void loadsFollowsEditsAndWritesBack() throws Exception {
        Files.writeString(dms.resolve("postfix-accounts.cf"),
                "# accounts\r\n"
                        + "user1@example.com|" + PasswordSchemes.hash("pw1") + "\r\n"
                        + "this line is garbage\r\n"
                        + "user2@example.com|{PLAIN}pw2");
        Files.writeString(dms.resolve("postfix-virtual.cf"), "alias1@example.com user1@example.com\n");
        Files.writeString(dms.resolve("dovecot-quotas.cf"), "user1@example.com:50M\n");
        Map<String, String> env = TestServers.env(data, Map.of("DMS_CONFIG_DIR", dms.toString()));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("first@example.com", "pw0", false))) {
            var directory = server.node().directory();
            await(() -> directory.view().account("user1@example.com").isPresent()
                    && directory.view().account("user2@example.com").isPresent()
                    && directory.view().quota("user1@example.com").orElse(0L) == 50L * 1024 * 1024
                    && directory.view().aliasTargets("alias1@example.com").contains("user1@example.com"),
                    "DMS files loaded, the malformed line skipped");

            assertTrue(Files.readString(dms.resolve("postfix-accounts.cf")).contains("first@example.com|"),
                    "serve --create-account writes the DMS accounts file in DMS mode");

            // An edit by hand shows up without restart.
            Files.writeString(dms.resolve("postfix-virtual.cf"),
                    "alias1@example.com user1@example.com\nalias2@example.com user2@example.com\n");
            Files.writeString(dms.resolve("postfix-accounts.cf"),
                    "user1@example.com|" + PasswordSchemes.hash("pw1") + "\n" + "user2@example.com|{PLAIN}pw2\n"
                            + "user3@example.com|{PLAIN}pw3\n" + "first@example.com|{PLAIN}pw0\n");
            await(() -> directory.view().aliasTargets("alias2@example.com").contains("user2@example.com")
                    && directory.view().account("user3@example.com").isPresent(), "hand edit applied");

            // Removing a line removes the account.
            Files.writeString(dms.resolve("postfix-accounts.cf"),
                    "user1@example.com|" + PasswordSchemes.hash("pw1") + "\n" + "user2@example.com|{PLAIN}pw2\n");
            await(() -> directory.view().account("user3@example.com").isEmpty(), "removed line removes the account");

            // The CLI writes to the files, like docker-mailserver's setup.
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Cli.run(new String[] {"email", "add", "cli@example.com", "pw4"}, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8), env);
            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            assertTrue(Files.readString(dms.resolve("postfix-accounts.cf")).contains("cli@example.com|{SHA512-CRYPT}$6$"));
            assertTrue(directory.view().account("cli@example.com").isPresent());

            int port = server.listeners().smtpPorts().get(SmtpMode.MX);
            SmtpDeliveryEndToEndTest.send(port, "x@remote.example", "alias2@example.com", "to a DMS alias");
            SmtpDeliveryEndToEndTest.awaitInbox(server, "user2@example.com", 1);
        }
    }

    private static void await(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
