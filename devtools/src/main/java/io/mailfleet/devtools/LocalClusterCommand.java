package io.mailfleet.devtools;

import io.mailfleet.cli.CliContext;
import io.mailfleet.cli.HelpSubcommand;
import io.mailfleet.cli.cluster.ClusterCommand;
import io.mailfleet.cli.cluster.ClusterStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ./mailfleet cluster local ...}: several nodes and a PostgreSQL on this machine. A developer tool:
 * it joins {@code ./mailfleet cluster} when this module is on the class path ({@link LocalClusterPlugin}).
 */
@Command(name = "local", mixinStandardHelpOptions = true, description = "A multi-node playground on one machine.", exitCodeOnInvalidInput = 2,
        subcommands = HelpSubcommand.class)
public final class LocalClusterCommand implements Callable<Integer> {

    private static final String DEFAULT_DIR = "./data/cluster-local";

    private final CliContext ctx;

    @ParentCommand
    private ClusterCommand cluster;

    LocalClusterCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** Without a verb: the cluster usage on stderr, exit 2. */
    @Override
    public Integer call() {
        return cluster.call();
    }

    private List<String> jvm() {
        return List.of((ctx.env().getOrDefault("MAILFLEET_JAVA_OPTS", "-Xms64m -Xmx512m -XX:+UseSerialGC")).trim().split("\\s+"));
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start PostgreSQL and N nodes.")
    int start(@Option(names = "--nodes", paramLabel = "N", defaultValue = "3", description = "nodes (default ${DEFAULT-VALUE})") String nodesText,
              @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR, description = "default ${DEFAULT-VALUE}") Path dir,
              @Option(names = "--create-account", paramLabel = "ADDRESS", description = "create this account (needs --password)") String account,
              @Option(names = "--password", paramLabel = "PW", description = "its password") String password) {
        Map<String, String> env = ctx.env();
        PrintStream out = ctx.out();
        return cluster.guarded(() -> {
            int nodes = Integer.parseInt(ClusterCommand.number(nodesText, "--nodes"));
            int offset = Integer.parseInt(ClusterCommand.number(env.getOrDefault("MAILFLEET_PORT_OFFSET", "0").isBlank() ? "0"
                    : env.getOrDefault("MAILFLEET_PORT_OFFSET", "0").trim(), "MAILFLEET_PORT_OFFSET"));
            Optional<String[]> created = Optional.ofNullable(account)
                    .map(a -> new String[] {a, Optional.ofNullable(password).orElseThrow(() ->
                            new IllegalArgumentException("--create-account needs --password"))});
            LocalCluster c = new LocalCluster(dir, LocalCluster.Layout.defaults(nodes, offset), jvm(), Map.of());
            out.println("starting PostgreSQL on 127.0.0.1:" + c.layout().postgresPort() + " and " + nodes
                    + " nodes under " + c.base() + " ...");
            c.start(created);
            for (int i = 0; i < nodes; i++) {
                out.printf("node %d: pid %d, SMTP %d, IMAP %d, cluster %d, pekko-management %d, API %d, log %s%n", i,
                        c.pid(i).map(ProcessHandle::pid).orElse(-1L), c.layout().smtpPort(i), c.layout().imapPort(i),
                        c.layout().clusterPort(i), c.layout().managementPort(i), c.layout().apiPort(i), c.logFile(i));
            }
            out.println("API token (MAILFLEET_API_TOKEN for the CLI): " + c.apiToken());
            return 0;
        });
    }

    @Command(name = "kill", mixinStandardHelpOptions = true, description = "Kill node I (SIGKILL).")
    int kill(@Parameters(paramLabel = "I", description = "the node number") String node,
             @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR, description = "default ${DEFAULT-VALUE}") Path dir) {
        return cluster.guarded(() -> {
            LocalCluster c = LocalCluster.existing(dir, jvm());
            int i = Integer.parseInt(ClusterCommand.number(node, "node number"));
            c.kill(i);
            ctx.out().println("node " + i + " killed (SIGKILL)");
            return 0;
        });
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, description = "Start node I again.")
    int restart(@Parameters(paramLabel = "I", description = "the node number") String node,
                @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR, description = "default ${DEFAULT-VALUE}") Path dir) {
        return cluster.guarded(() -> {
            LocalCluster c = LocalCluster.existing(dir, jvm());
            int i = Integer.parseInt(ClusterCommand.number(node, "node number"));
            c.restart(i);
            ctx.out().println("node " + i + " running again, pid " + c.pid(i).map(ProcessHandle::pid).orElse(-1L));
            return 0;
        });
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop every node and PostgreSQL.")
    int stop(@Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR, description = "default ${DEFAULT-VALUE}") Path dir) {
        return cluster.guarded(() -> {
            LocalCluster.existing(dir, jvm()).stop();
            ctx.out().println("all nodes and PostgreSQL stopped");
            return 0;
        });
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Which nodes run, and the members as the first running node sees them.")
    int status(@Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR, description = "default ${DEFAULT-VALUE}") Path dir) {
        PrintStream out = ctx.out();
        return cluster.guarded(() -> {
            LocalCluster c = LocalCluster.existing(dir, jvm());
            Map<String, String> mgmt = new HashMap<>();
            String reachable = null;
            for (int i = 0; i < c.layout().nodes(); i++) {
                Optional<ProcessHandle> p = c.pid(i);
                out.printf("node %d: %s%n", i, p.map(h -> "running, pid " + h.pid()).orElse("not running"));
                mgmt.put("127.0.0.1:" + c.layout().clusterPort(i), "127.0.0.1:" + c.layout().managementPort(i));
                if (p.isPresent() && reachable == null) {
                    reachable = "127.0.0.1:" + c.layout().managementPort(i);
                }
            }
            out.println("postgres: " + (c.postgres().running() ? "running on port " + c.layout().postgresPort() : "not running"));
            if (reachable != null) {
                new ClusterStatus().print(reachable, mgmt, out);
            }
            return 0;
        });
    }
}
