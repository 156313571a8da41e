package io.mailfleet.ops.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./mailfleet cluster status [--management host:port]} and the local playground
 * {@code ./mailfleet cluster local start [--nodes N] [--dir D] | kill I | restart I | stop | status} and the
 * cluster TLS credentials {@code ./mailfleet cluster credentials init | issue}.
 */
public final class ClusterCommand {

    static final String USAGE = """
            usage: mailfleet cluster status [--management HOST:PORT]      (default 127.0.0.1:8558)
                   mailfleet cluster local start [--nodes N] [--dir DIR] [--create-account ADDRESS --password PW]
                   mailfleet cluster local kill I | restart I | stop | status [--dir DIR]
                   mailfleet cluster credentials init CA_DIR | issue --ca CA_DIR [--node NAME] [--days N] OUT_DIR
              The playground keeps everything under DIR (default ./data/cluster-local): PostgreSQL,
              the shared blob directory, node-I/ data, node-I.log and node-I.pid. Node I listens on the
              standard mail ports + MAILFLEET_PORT_OFFSET + 1000*I, cluster port 7355+I,
              pekko-management 8558+I, management API 8780+I.""";

    private ClusterCommand() {
    }

    /** Runs the verb; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        try {
            if (args.length >= 1 && args[0].equals("status")) {
                String mgmt = option(args, "--management").orElse("127.0.0.1:8558");
                new ClusterStatus().print(mgmt, Map.of(), out);
                return 0;
            }
            if (args.length >= 1 && args[0].equals("credentials")) {
                return io.mailfleet.ops.cluster.credentials.CredentialsCommand.run(
                        Arrays.copyOfRange(args, 1, args.length), out, err);
            }
            if (args.length >= 2 && args[0].equals("local")) {
                return local(Arrays.copyOfRange(args, 1, args.length), out, env);
            }
            err.println(USAGE);
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("mailfleet cluster: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (IOException e) {
            err.println("mailfleet cluster: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int local(String[] args, PrintStream out, Map<String, String> env) throws IOException, InterruptedException {
        Path dir = Path.of(option(args, "--dir").orElse("./data/cluster-local"));
        List<String> jvm = List.of((env.getOrDefault("MAILFLEET_JAVA_OPTS", "-Xms64m -Xmx512m -XX:+UseSerialGC")).trim().split("\\s+"));
        switch (args[0]) {
            case "start" -> {
                int nodes = Integer.parseInt(number(option(args, "--nodes").orElse("3"), "--nodes"));
                int offset = Integer.parseInt(number(env.getOrDefault("MAILFLEET_PORT_OFFSET", "0").isBlank() ? "0"
                        : env.getOrDefault("MAILFLEET_PORT_OFFSET", "0").trim(), "MAILFLEET_PORT_OFFSET"));
                Optional<String[]> account = option(args, "--create-account")
                        .map(a -> new String[] {a, option(args, "--password").orElseThrow(() ->
                                new IllegalArgumentException("--create-account needs --password"))});
                LocalCluster c = new LocalCluster(dir, LocalCluster.Layout.defaults(nodes, offset), jvm, Map.of());
                out.println("starting PostgreSQL on 127.0.0.1:" + c.layout().postgresPort() + " and " + nodes
                        + " nodes under " + c.base() + " ...");
                c.start(account);
                for (int i = 0; i < nodes; i++) {
                    out.printf("node %d: pid %d, SMTP %d, IMAP %d, cluster %d, pekko-management %d, API %d, log %s%n", i,
                            c.pid(i).map(ProcessHandle::pid).orElse(-1L), c.layout().smtpPort(i), c.layout().imapPort(i),
                            c.layout().clusterPort(i), c.layout().managementPort(i), c.layout().apiPort(i), c.logFile(i));
                }
                out.println("API token (MAILFLEET_API_TOKEN for the CLI): " + c.apiToken());
                return 0;
            }
            case "kill" -> {
                LocalCluster c = LocalCluster.existing(dir, jvm);
                int node = nodeArg(args);
                c.kill(node);
                out.println("node " + node + " killed (SIGKILL)");
                return 0;
            }
            case "restart" -> {
                LocalCluster c = LocalCluster.existing(dir, jvm);
                int node = nodeArg(args);
                c.restart(node);
                out.println("node " + node + " running again, pid " + c.pid(node).map(ProcessHandle::pid).orElse(-1L));
                return 0;
            }
            case "stop" -> {
                LocalCluster.existing(dir, jvm).stop();
                out.println("all nodes and PostgreSQL stopped");
                return 0;
            }
            case "status" -> {
                LocalCluster c = LocalCluster.existing(dir, jvm);
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
            }
            default -> throw new IllegalArgumentException("unknown 'cluster local' verb '" + args[0] + "'");
        }
    }

    private static int nodeArg(String[] args) {
        if (args.length < 2) {
            throw new IllegalArgumentException(args[0] + " needs a node number");
        }
        return Integer.parseInt(number(args[1], "node number"));
    }

    private static String number(String s, String what) {
        if (!s.matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException(what + " '" + s + "' is not a whole number");
        }
        return s;
    }

    private static Optional<String> option(String[] args, String name) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Optional.of(args[i + 1]);
            }
        }
        return Optional.empty();
    }
}
