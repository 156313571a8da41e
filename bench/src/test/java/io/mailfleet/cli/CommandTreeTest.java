package io.mailfleet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command in the picocli tree of {@code ./mailfleet} (walked from the model, so a new command is
 * covered without touching this test) answers -h and --help with its usage and exit 0, and refuses an
 * unknown option with a usage-error exit code and a message naming the option. Nothing here reaches
 * a node: the management port is closed.
 */
class CommandTreeTest {

    private static final String UNKNOWN = "--no-such-option";

    @TempDir
    Path data;

    private CliRun run(List<String> args) {
        Map<String, String> env = Map.of("MAILFLEET_DATA", data.toString(), "MAILFLEET_MANAGEMENT_PORT", "1",
                "OVERRIDE_HOSTNAME", "mail.example.com");
        return CliRun.cli(env, args.toArray(String[]::new));
    }

    /** The path of words to every command below the root, in tree order. */
    private static Map<List<String>, CommandLine> commands() {
        CommandLine root = Cli.commandLine(new CliContext(System.in, System.out, System.err, Map.of()));
        Map<List<String>, CommandLine> all = new LinkedHashMap<>();
        collect(root, List.of(), all);
        return all;
    }

    private static void collect(CommandLine cl, List<String> path, Map<List<String>, CommandLine> into) {
        into.put(path, cl);
        cl.getSubcommands().forEach((name, sub) -> {
            if (!name.equals(sub.getCommandName())) {
                return; // an alias of a command already walked
            }
            List<String> next = new ArrayList<>(path);
            next.add(name);
            collect(sub, next, into);
        });
    }

    @Test
    void theTreeHoldsEveryCommandGroup() {
        Map<List<String>, CommandLine> all = commands();
        for (List<String> expected : List.of(List.of("serve"), List.of("email", "add"), List.of("email", "del"),
                List.of("email", "app-password", "add"), List.of("email", "app-password", "list"),
                List.of("email", "app-password", "del"),
                List.of("alias", "list"), List.of("quota", "set"), List.of("fail2ban", "ban"), List.of("queue", "list"),
                List.of("sessions", "kick"), List.of("blobs", "gc"), List.of("backup"), List.of("config", "dkim"), List.of("config", "dkim", "rotate"),
                List.of("config", "dkim", "retire"), List.of("config", "dns"),
                List.of("relay", "add-auth"), List.of("cluster", "status"), List.of("cluster", "local", "start"),
                List.of("cluster", "credentials", "issue"), List.of("bench", "smtp"), List.of("bench", "imap"),
                List.of("bench", "import"))) {
            assertTrue(all.containsKey(expected), expected + " in " + all.keySet());
        }
    }

    @Test
    void everyCommandPrintsItsUsageForDashHAndDashDashHelp() {
        Map<List<String>, CommandLine> all = commands();
        for (Map.Entry<List<String>, CommandLine> c : all.entrySet()) {
            assertTrue(c.getValue().getCommandSpec().optionsMap().containsKey("-h")
                    && c.getValue().getCommandSpec().optionsMap().containsKey("--help"), c.getKey() + " has -h and --help");
            String expected = c.getValue().getUsageMessage();
            for (String flag : List.of("-h", "--help")) {
                List<String> args = new ArrayList<>(c.getKey());
                args.add(flag);
                CliRun r = run(args);
                assertEquals(0, r.code(), args + ": " + r);
                assertEquals(expected, r.out(), args.toString());
                assertTrue(r.out().contains("USAGE"), args + ": " + r.out());
                assertEquals("", r.err(), args.toString());
            }
        }
    }

    @Test
    void anUnknownOptionIsAUsageErrorNamingIt() {
        for (List<String> path : commands().keySet()) {
            List<String> args = new ArrayList<>(path);
            args.add(UNKNOWN);
            CliRun r = run(args);
            // sendmail keeps sendmail's exit codes (sysexits.h: EX_USAGE is 64) for the scripts that call it
            int usage = path.equals(List.of("sendmail")) ? 64 : -1;
            assertTrue(r.code() == 1 || r.code() == 2 || r.code() == usage, args + " exits with a usage error: " + r);
            assertTrue(r.err().contains(UNKNOWN), args + " names the option on stderr: " + r);
            assertFalse(r.err().contains("Exception"), args + ": " + r);
        }
    }

    @Test
    void usageErrorsKeepTheirDocumentedExitCodesAndMessages() {
        CliRun r = run(List.of("email", "del", "-x", "a@example.com"));
        assertEquals(1, r.code());
        assertEquals("ERROR: The option 'x' is unknown\n", r.err());
        assertTrue(r.out().contains("./mailfleet email del"), r.out());
        r = run(List.of("queue", "list", "--older"));
        assertEquals(1, r.code());
        assertEquals("ERROR: unknown option '--older' for queue list\n", r.err());
        r = run(List.of("queue", "list", "--sender"));
        assertEquals(1, r.code());
        assertEquals("ERROR: option --sender needs a value\n", r.err());
        r = run(List.of("blobs", "gc", "--now"));
        assertEquals(1, r.code());
        assertEquals("ERROR: unknown option '--now' for blobs gc\n", r.err());
        assertEquals("Usage: ./mailfleet blobs gc [--dry-run]\n", r.out());
        r = run(List.of("queue", "purge"));
        assertEquals(2, r.code());
        assertEquals("The command 'queue purge' is invalid.\n"
                + "Use `./mailfleet queue help` to get an overview of the queue commands.\n", r.err());
        r = run(List.of("spam", "allow", "purge"));
        assertEquals(2, r.code());
        assertEquals("The command 'spam allow purge' is invalid.\n"
                + "Use `./mailfleet spam help` to get an overview of the spam commands.\n", r.err());
        r = run(List.of("sessions", "kick", "a@example.com", "id", "extra"));
        assertEquals(1, r.code());
        assertEquals("ERROR: too many arguments for sessions kick\n", r.err());
        r = run(List.of("config", "dkim", "keysize"));
        assertEquals(1, r.code());
        assertEquals("ERROR: Option 'keysize' needs a value\n", r.err());
        r = run(List.of("cluster", "credentials", "issue", "--ca"));
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("mailfleet cluster credentials: --ca needs a value\n"), r.err());
        r = run(List.of("bench", "smtp", "--connections", "0"));
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("bench smtp: --connections must be between 1 and 10000, got 0"), r.err());
    }

    @Test
    void helpWordsAndBareGroupsPrintTheUsage() {
        assertEquals(0, run(List.of()).code());
        CliRun r = run(List.of("help"));
        assertEquals(0, r.code());
        assertTrue(r.out().contains("./mailfleet email add <EMAIL ADDRESS> [<PASSWORD>]"), r.out());
        for (List<String> args : List.of(List.of("queue"), List.of("queue", "help"), List.of("relay"), List.of("blobs", "help"),
                List.of("config"), List.of("backup"), List.of("backup", "help"), List.of("fail2ban", "help"),
                List.of("email", "add", "help"), List.of("relay", "add-domain", "help"), List.of("serve", "help"))) {
            r = run(args);
            assertEquals(0, r.code(), args + ": " + r);
            assertTrue(r.out().contains("./mailfleet"), args + ": " + r.out());
            assertEquals("", r.err(), args.toString());
        }
    }
}
