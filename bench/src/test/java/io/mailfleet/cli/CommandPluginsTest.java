package io.mailfleet.cli;

import io.mailfleet.cli.cluster.ClusterCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bench and cluster local join the tree from their modules at the places the help always listed them. */
class CommandPluginsTest {

    private static CliContext context() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new CliContext(new ByteArrayInputStream(new byte[0]), sink, sink, Map.of());
    }

    @Test
    void pluginsStandWhereTheHelpListedThem() {
        CommandLine root = Cli.commandLine(context());
        assertEquals(List.of("serve", "email", "alias", "quota", "dovecot-master", "fail2ban", "queue", "sessions", "blobs",
                "rate-limits", "backup", "import", "export", "config", "relay", "sendmail", "fetchmail", "spam", "cluster", "bench", "help"),
                List.copyOf(root.getSubcommands().keySet()));
        List<String> cluster = List.copyOf(root.getSubcommands().get("cluster").getSubcommands().keySet());
        assertEquals(cluster.indexOf("credentials") - 1, cluster.indexOf("local"), "local right before credentials: " + cluster);
        assertEquals(4, cluster.size(), cluster.toString());
        // method subcommands come in reflection order: compare the set
        assertEquals(java.util.Set.of("smtp", "imap", "relay", "corpus", "import"),
                java.util.Set.copyOf(root.getSubcommands().get("bench").getSubcommands().keySet()));
    }

    @Test
    void aGroupRunOnItsOwnGetsItsPluginsToo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = ClusterCommand.run(new String[] {"local", "--help"}, print, print, Map.of());
        assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("A multi-node playground on one machine."), out.toString(StandardCharsets.UTF_8));
    }
}
