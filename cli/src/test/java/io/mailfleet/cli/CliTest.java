package io.mailfleet.cli;

import io.mailfleet.server.api.ApiFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {

    private static ApiFixture api;

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiFixture(true);
        Files.writeString(dataDir.resolve("api-token"), ApiFixture.TOKEN + "\n");
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("OVERRIDE_HOSTNAME", "mail.example.com");
        env.put("MAILFLEET_DATA", dataDir.toString());
        env.put("MAILFLEET_MANAGEMENT_PORT", Integer.toString(api.port()));
        return env;
    }

    private static CliRun run(String stdin, Map<String, String> env, String... args) {
        return CliRun.withInput(stdin, env, args);
    }

    private static CliRun run(String... args) {
        return run("", env(), args);
    }

    @Test
    void usageAndInvalidCommands() {
        CliRun r = run();
        assertEquals(0, r.code());
        assertTrue(r.out().contains("./mailfleet email add <EMAIL ADDRESS> [<PASSWORD>]"));
        assertEquals(0, run("help").code());
        r = run("frobnicate", "now");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("The command 'frobnicate now' is invalid."), r.err());
        r = run("email", "explode");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("The command 'email explode' is invalid."), r.err());
        assertEquals(2, run("alias").code());
        assertEquals(2, run("quota", "get", "x@y.org").code());
    }

    @Test
    void missingArgumentsPrintUsageAndExit1WithoutContactingTheNode() {
        Map<String, String> unreachable = env();
        unreachable.put("MAILFLEET_MANAGEMENT_PORT", "1");
        for (String[] args : List.of(new String[]{"email", "add"}, new String[]{"email", "update"}, new String[]{"email", "del"},
                new String[]{"alias", "add", "a@b.org"}, new String[]{"alias", "del"}, new String[]{"quota", "set"},
                new String[]{"quota", "del"})) {
            CliRun r = run("", unreachable, args);
            assertEquals(1, r.code(), String.join(" ", args));
            assertTrue(r.out().contains("USAGE"), r.out());
        }
        CliRun r = run("", unreachable, "email", "add", "help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("./mailfleet email add <MAIL ACCOUNT> [<PASSWORD>]"));
        r = run("", unreachable, "email", "add", "nodomain", "pw");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("'nodomain' should include the domain (eg: user@example.com)"), r.err());
    }

    /**
     * Issue 12: {@code ./mailfleet email add $'\xff\xfe@example.test'} created the account {@code ��@example.test}.
     * The bytes go to a CLI in its own JVM through bash, as a shell passes them; the node refuses the name.
     */
    @Test
    void argumentsThatAreNotValidUtf8AreRefused() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (List<String> command : List.of(List.of("email", "add", "$'\\xff\\xfe@example.test'", "pw"),
                List.of("alias", "add", "$'in\\xc3fo@example.test'", "x@example.test"),
                List.of("email", "restrict", "add", "send", "$'\\x80@example.test'"))) {
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", "exec \"$0\" -XX:TieredStopAtLevel=1 -cp \"$1\" "
                    + "io.mailfleet.cli.Main " + String.join(" ", command), javaBin, System.getProperty("java.class.path"))
                    .redirectErrorStream(true);
            pb.environment().putAll(env());
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), output);
            assertEquals(1, p.exitValue(), command + ": " + output);
            assertTrue(output.contains("is not valid UTF-8"), command + ": " + output);
        }
        assertTrue(api.directory.view().account("\uFFFD\uFFFD@example.test").isEmpty());
        assertEquals(List.of(), api.directory.view().aliasTargets("in\uFFFDfo@example.test"));
    }

    @Test
    void emailLifecycleWithListFormat() {
        CliRun r = run("email", "add", "Dave@Example.com", "pw");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("'Dave@Example.com' has uppercase letters and will be normalized to 'dave@example.com'"), r.err());
        assertTrue(api.directory.view().account("dave@example.com").isPresent());

        r = run("email", "add", "dave@example.com", "pw");
        assertEquals(1, r.code());
        assertEquals("ERROR: 'dave@example.com' already exists\n", r.err());

        assertEquals(0, run("alias", "add", "boss@example.com", "dave@example.com").code());
        assertEquals(0, run("alias", "add", "chef@other.org", "dave@example.com").code());
        assertEquals(0, run("quota", "set", "dave@example.com", "10M").code());
        api.usage.put("dave@example.com", 1536L);
        r = run("email", "list");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("* dave@example.com ( 1.5K / 10M ) [0%]\n    [ aliases -> boss@example.com, chef@other.org ]\n\n"),
                r.out());

        r = run("email", "update", "nobody@example.com", "pw");
        assertEquals(1, r.code());
        assertEquals("ERROR: 'nobody@example.com' does not exist\n", r.err());
        String before = api.directory.view().account("dave@example.com").orElseThrow().passwordHash();
        assertEquals(0, run("secret2\n", env(), "email", "update", "dave@example.com").code());
        assertTrue(!before.equals(api.directory.view().account("dave@example.com").orElseThrow().passwordHash()));

        r = run("email", "del", "-y", "dave@example.com");
        assertEquals(0, r.code(), r.err());
        assertEquals("INFO: 'dave@example.com' and associated data deleted, mailbox emptied\n", r.out());
        assertEquals(List.of("dave@example.com"), api.purged, "-y empties the mailbox before the account goes");
        assertTrue(api.directory.view().account("dave@example.com").isEmpty());
        assertEquals(List.of(), api.directory.view().aliasTargets("boss@example.com"));
        assertEquals(Optional.empty(), api.directory.view().quota("dave@example.com"));
        r = run("email", "del", "dave@example.com");
        assertEquals(1, r.code());
        assertEquals("ERROR: 'dave@example.com' does not exist\n", r.err());
        assertEquals(1, run("email", "del", "-x", "dave@example.com").code());
    }

    @Test
    void passwordPrompt() {
        CliRun r = run("typed-secret\n", env(), "email", "add", "erin@example.com");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Enter Password: "));
        assertTrue(io.mailfleet.core.auth.PasswordSchemes.verify("typed-secret",
                api.directory.view().account("erin@example.com").orElseThrow().passwordHash()));
        r = run("\n", env(), "email", "add", "frank@example.com");
        assertEquals(1, r.code());
        assertEquals("ERROR: Password must not be empty\n", r.err());
        assertTrue(api.directory.view().account("frank@example.com").isEmpty());
    }

    @Test
    void quotaErrors() {
        assertEquals(0, run("email", "add", "gina@example.com", "pw").code());
        CliRun r = run("quota", "set", "gina@example.com", "12X");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("Invalid quota format. e.g. 302M"), r.err());
        assertTrue(r.out().contains("USAGE"));
        r = run("quota", "set", "nobody@example.com", "1G");
        assertEquals("ERROR: 'nobody@example.com' does not exist\n", r.err());
        r = run("\n", env(), "quota", "set", "gina@example.com");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("Quota must not be empty (use 0 for unlimited quota)"));
        assertEquals(0, run("5G\n", env(), "quota", "set", "gina@example.com").code());
        assertEquals(Optional.of(5L << 30), api.directory.view().quota("gina@example.com"));
        assertEquals(0, run("quota", "del", "gina@example.com").code());
        assertEquals(0, run("quota", "del", "gina@example.com").code());
        assertEquals(Optional.empty(), api.directory.view().quota("gina@example.com"));
    }

    @Test
    void aliasesAndRestrictions() {
        assertEquals(0, run("alias", "add", "list@lists.test", "a@x.test, b@y.test").code());
        CliRun r = run("alias", "add", "list@lists.test", "a@x.test");
        assertEquals(1, r.code());
        assertEquals("ERROR: 'list@lists.test' is already an alias for recipient: 'a@x.test'\n", r.err());
        r = run("alias", "list");
        assertTrue(r.out().contains("* list@lists.test a@x.test,b@y.test\n\n"), r.out());
        assertEquals(0, run("alias", "del", "list@lists.test", "a@x.test").code());
        assertEquals(List.of("b@y.test"), api.directory.view().aliasTargets("list@lists.test"));

        r = run("email", "restrict", "list", "receive");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Everyone is allowed to receive mails"), r.out());
        assertEquals(0, run("email", "restrict", "add", "receive", "spam@lists.test").code());
        r = run("email", "restrict", "add", "receive", "spam@lists.test");
        assertEquals(1, r.code());
        assertEquals("ERROR: User 'spam@lists.test' already denied to receive mails\n", r.err());
        r = run("email", "restrict", "list", "receive");
        assertTrue(r.out().contains("spam@lists.test \t\t REJECT"), r.out());
        assertEquals(0, run("x@lists.test\n", env(), "email", "restrict", "add", "send").code());
        assertTrue(api.directory.view().isSendDenied("x@lists.test"));
        assertEquals(0, run("email", "restrict", "del", "receive", "spam@lists.test").code());
        assertTrue(!api.directory.view().isReceiveDenied("spam@lists.test"));
        r = run("email", "restrict", "add", "sideways", "a@b.test");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("Unknown or missing second parameter 'sideways' - specify 'send' or 'receive'"));
        r = run("email", "restrict", "zap", "send", "a@b.test");
        assertTrue(r.err().contains("Unknown or missing command 'zap' - specify 'add', 'del' or 'list'"));
    }

    @Test
    void unreachableNode() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = env();
        env.put("MAILFLEET_MANAGEMENT_PORT", Integer.toString(port));
        CliRun r = run("", env, "email", "list");
        assertEquals(1, r.code());
        assertEquals("ERROR: cannot reach the Mailfleet node at http://127.0.0.1:" + port
                + " — is `./mailfleet serve` running?\n", r.err());
    }

    @Test
    void tokenAndConfigProblems(@TempDir Path empty) throws Exception {
        Map<String, String> env = env();
        env.put("MAILFLEET_API_TOKEN", "a-wrong-token-0123456789");
        CliRun r = run("", env, "alias", "list");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("refused the API token"), r.err());

        env = env();
        env.put("MAILFLEET_DATA", empty.toString());
        r = run("", env, "alias", "list");
        assertEquals(1, r.code());
        assertTrue(r.err().contains(empty.resolve("api-token") + " does not exist"), r.err());

        env = env();
        env.put("MAILFLEET_MANAGEMENT_PORT", "http");
        r = run("", env, "alias", "list");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("ERROR: invalid value for mailfleet.management.port (from environment variable"
                + " MAILFLEET_MANAGEMENT_PORT)"), r.err());

        Path conf = empty.resolve("mf.conf");
        Files.writeString(conf, "mailfleet.management.port = " + api.port() + "\n");
        env = env();
        env.remove("MAILFLEET_MANAGEMENT_PORT");
        assertEquals(0, run("", env, "--config", conf.toString(), "email", "add", "hal@conf.test", "pw").code());
        assertTrue(api.directory.view().account("hal@conf.test").isPresent());
        env.put("MAILFLEET_CONFIG", conf.toString());
        assertEquals(0, run("", env, "email", "del", "hal@conf.test").code());
    }

    @Test
    void iecSizesMatchNumfmt() {
        assertEquals("0", IecSize.format(0));
        assertEquals("1023", IecSize.format(1023));
        assertEquals("1.0K", IecSize.format(1024));
        assertEquals("1.1K", IecSize.format(1025));
        assertEquals("1.5K", IecSize.format(1536));
        assertEquals("10K", IecSize.format(10240));
        assertEquals("11K", IecSize.format(10241));
        assertEquals("10M", IecSize.format(10L << 20));
        assertEquals("1.0M", IecSize.format((1L << 20) - 1));
        assertEquals("5.0G", IecSize.format(5L << 30));
    }
}
