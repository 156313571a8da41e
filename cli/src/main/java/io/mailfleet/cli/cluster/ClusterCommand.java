package io.mailfleet.cli.cluster;

import io.mailfleet.devtools.LocalCluster;

import io.mailfleet.cli.Cli;
import io.mailfleet.cli.CliContext;
import io.mailfleet.cli.HelpSubcommand;
import io.mailfleet.cli.UsageErrors;
import io.mailfleet.cli.cluster.CredentialsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ./mailfleet cluster status [--management host:port]} and the local playground
 * {@code ./mailfleet cluster local start [--nodes N] [--dir D] | kill I | restart I | stop | status} and the
 * cluster TLS credentials {@code ./mailfleet cluster credentials init | issue}.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        customSynopsis = {"    ./mailfleet cluster status [--management HOST:PORT]      (default 127.0.0.1:8558)",
                "    ./mailfleet cluster local start [--nodes N] [--dir DIR] [--create-account ADDRESS --password PW]",
                "    ./mailfleet cluster local kill I | restart I | stop | status [--dir DIR]",
                "    ./mailfleet cluster credentials init CA_DIR | issue --ca CA_DIR [--node NAME] [--days N] OUT_DIR"},
        description = {"The cluster's members, a local playground of several nodes, and the cluster's TLS credentials.",
                "The playground keeps everything under DIR (default ./data/cluster-local): PostgreSQL,",
                "the shared blob directory, node-I/ data, node-I.log and node-I.pid. Node I listens on the",
                "standard mail ports + MAILFLEET_PORT_OFFSET + 1000*I, cluster port 7355+I,",
                "pekko-management 8558+I, management API 8780+I."},
        exitCodeList = {"0:done", "1:failed", "2:wrong usage"},
        exitCodeOnInvalidInput = 2,
        subcommands = {ClusterCommand.Local.class, CredentialsCommand.class, HelpSubcommand.class})
public final class ClusterCommand implements Callable<Integer>, UsageErrors {

    private static final String DEFAULT_DIR = "./data/cluster-local";

    private final CliContext ctx;

    @Spec
    private CommandSpec spec;

    ClusterCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** Runs the verb; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        CliContext ctx = new CliContext(System.in, out, err, env);
        return Cli.commandLine(new ClusterCommand(ctx), ctx).execute(args);
    }

    /** Without a verb: the usage on stderr, exit 2. */
    @Override
    public Integer call() {
        ctx.err().println(usage());
        return 2;
    }

    @Override
    public int report(ParameterException problem, CliContext ctx) {
        String message = problem.getMessage();
        if (problem instanceof CommandLine.UnmatchedArgumentException u) {
            message = problem.getCommandLine().getCommandName().equals("local") && !u.getUnmatched().get(0).startsWith("-")
                    ? "unknown 'cluster local' verb '" + u.getUnmatched().get(0) + "'"
                    : (u.getUnmatched().get(0).startsWith("-") ? "unknown option '" : "unknown argument '")
                    + u.getUnmatched().get(0) + "'";
        } else if (problem instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()) {
            message = m.getMissing().get(0) instanceof OptionSpec option ? option.longestName() + " needs a value"
                    : problem.getCommandLine().getCommandName() + " needs a node number";
        }
        ctx.err().println("mailfleet cluster: " + message);
        ctx.err().println(usage());
        return 2;
    }

    private String usage() {
        return spec.commandLine().getUsageMessage();
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "The members as seen by a node's pekko-management port.")
    int status(@Option(names = "--management", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8558",
            description = "the node's pekko-management address (default ${DEFAULT-VALUE})") String management) {
        return guarded(() -> {
            new ClusterStatus().print(management, Map.of(), ctx.out());
            return 0;
        });
    }

    /** Runs {@code verb}: its exit code; a bad argument found while running is a usage error (2), I/O fails (1). */
    private int guarded(Callable<Integer> verb) {
        try {
            return verb.call();
        } catch (IllegalArgumentException e) {
            ctx.err().println("mailfleet cluster: " + e.getMessage());
            ctx.err().println(usage());
            return 2;
        } catch (IOException e) {
            ctx.err().println("mailfleet cluster: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code ./mailfleet cluster local ...}: several nodes and a PostgreSQL on this machine. */
    @Command(name = "local", mixinStandardHelpOptions = true, description = "A multi-node playground on one machine.", exitCodeOnInvalidInput = 2,
            subcommands = HelpSubcommand.class)
    static final class Local implements Callable<Integer> {

        private final CliContext ctx;

        @ParentCommand
        private ClusterCommand cluster;

        Local(CliContext ctx) {
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
                int nodes = Integer.parseInt(number(nodesText, "--nodes"));
                int offset = Integer.parseInt(number(env.getOrDefault("MAILFLEET_PORT_OFFSET", "0").isBlank() ? "0"
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
                int i = Integer.parseInt(number(node, "node number"));
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
                int i = Integer.parseInt(number(node, "node number"));
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

    private static String number(String s, String what) {
        if (!s.matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException(what + " '" + s + "' is not a whole number");
        }
        return s;
    }
}
