package io.mailfleet.ops.cluster.credentials;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./mailfleet cluster credentials init DIR} (a new cluster CA) and
 * {@code ./mailfleet cluster credentials issue --ca DIR [--node NAME] [--days N] OUT} (a node's key and
 * certificate from it). Exit 0 done, 1 failed (e.g. files exist), 2 usage.
 */
public final class CredentialsCommand {

    public static final String USAGE = """
            usage: mailfleet cluster credentials init CA_DIR
                   mailfleet cluster credentials issue --ca CA_DIR [--node NAME] [--days N] OUT_DIR
              init   creates a private cluster CA: CA_DIR/ca.key (keep it off the nodes if you can) and CA_DIR/ca.crt.
              issue  creates a node's credentials from that CA: OUT_DIR/tls.key, OUT_DIR/tls.crt and a copy of
                     ca.crt; point the node at OUT_DIR with MAILFLEET_CLUSTER_CREDENTIALS_DIR. NAME (default
                     mailfleet-cluster) is the certificate's name; N days of validity (default 3650).
              Files are 0600, new directories 0700; existing files are never overwritten. See docs/cluster.md.
            """;

    private CredentialsCommand() {
    }

    /** Runs the verb; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || List.of("help", "--help", "-h").contains(args[0])) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        try {
            switch (args[0]) {
                case "init" -> {
                    if (args.length != 2) {
                        throw new IllegalArgumentException("init needs exactly one directory");
                    }
                    Path dir = Path.of(args[1]);
                    X509Certificate ca = ClusterCertificates.createCa(dir, ClusterCertificates.DEFAULT_VALIDITY);
                    out.println("cluster CA " + ca.getSubjectX500Principal().getName() + " created in " + dir.toAbsolutePath()
                            + " (ca.key, ca.crt); now issue each node's credentials with: "
                            + "./mailfleet cluster credentials issue --ca " + dir + " OUT_DIR");
                    return 0;
                }
                case "issue" -> {
                    return issue(args, out);
                }
                default -> throw new IllegalArgumentException("unknown verb '" + args[0] + "'");
            }
        } catch (IllegalArgumentException e) {
            err.println("mailfleet cluster credentials: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (IOException e) {
            err.println("mailfleet cluster credentials: " + e.getMessage());
            return 1;
        }
    }

    private static int issue(String[] args, PrintStream out) throws IOException {
        String ca = null;
        String node = CredentialFiles.CLUSTER_NAME;
        long days = ClusterCertificates.DEFAULT_VALIDITY.toDays();
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--ca" -> ca = value(args, ++i, "--ca");
                case "--node" -> node = value(args, ++i, "--node").toLowerCase(Locale.ROOT);
                case "--days" -> days = days(value(args, ++i, "--days"));
                default -> {
                    if (args[i].startsWith("-")) {
                        throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                    }
                    rest.add(args[i]);
                }
            }
        }
        if (ca == null) {
            throw new IllegalArgumentException("issue needs --ca CA_DIR");
        }
        if (rest.size() != 1) {
            throw new IllegalArgumentException("issue needs exactly one output directory");
        }
        if (!node.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")) {
            throw new IllegalArgumentException("--node '" + node + "' is not a host-name-like name (letters, digits, "
                    + "hyphens, dots)");
        }
        Path outDir = Path.of(rest.get(0));
        X509Certificate cert = ClusterCertificates.issue(Path.of(ca), node, Duration.ofDays(days), outDir);
        out.println("node credentials for " + node + " (valid until " + cert.getNotAfter().toInstant() + ") in "
                + outDir.toAbsolutePath() + " (tls.key, tls.crt, ca.crt); start the node with "
                + "MAILFLEET_CLUSTER_CREDENTIALS_DIR=" + outDir.toAbsolutePath());
        return 0;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static long days(String s) {
        if (!s.matches("[0-9]{1,5}") || Long.parseLong(s) < 1 || Long.parseLong(s) > 36500) {
            throw new IllegalArgumentException("--days '" + s + "' is not a whole number from 1 to 36500");
        }
        return Long.parseLong(s);
    }
}
