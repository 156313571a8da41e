package io.mailfleet.cli.cluster;

import io.mailfleet.server.cluster.credentials.ClusterCertificates;
import io.mailfleet.server.cluster.credentials.CredentialFiles;

import io.mailfleet.cli.Cli;
import io.mailfleet.cli.CliContext;
import io.mailfleet.cli.HelpSubcommand;
import io.mailfleet.cli.UsageErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./mailfleet cluster credentials init DIR} (a new cluster CA) and
 * {@code ./mailfleet cluster credentials issue --ca DIR [--node NAME] [--days N] OUT} (a node's key and
 * certificate from it). Exit 0 done, 1 failed (e.g. files exist), 2 usage.
 */
@Command(name = "credentials", mixinStandardHelpOptions = true,
        customSynopsis = {"    ./mailfleet cluster credentials init CA_DIR",
                "    ./mailfleet cluster credentials issue --ca CA_DIR [--node NAME] [--days N] OUT_DIR"},
        description = {"The cluster's TLS credentials: a private CA and each node's key and certificate.",
                "Files are 0600, new directories 0700; existing files are never overwritten. See docs/cluster.md."},
        exitCodeList = {"0:done", "1:failed (e.g. the files exist)", "2:wrong usage"},
        exitCodeOnInvalidInput = 2,
        subcommands = HelpSubcommand.class)
public final class CredentialsCommand implements Callable<Integer>, UsageErrors {

    private final CliContext ctx;

    @Spec
    private CommandSpec spec;

    CredentialsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** Runs the verb; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CliContext ctx = new CliContext(System.in, out, err, System.getenv());
        return Cli.commandLine(new CredentialsCommand(ctx), ctx).execute(args);
    }

    /** Without a verb: the usage on stderr, exit 2. */
    @Override
    public Integer call() {
        ctx.err().print(spec.commandLine().getUsageMessage());
        return 2;
    }

    @Override
    public int report(ParameterException problem, CliContext ctx) {
        String message = problem.getMessage();
        if (problem instanceof CommandLine.UnmatchedArgumentException u) {
            String first = u.getUnmatched().get(0);
            message = first.startsWith("-") ? "unknown option '" + first + "'"
                    : problem.getCommandLine().getCommandSpec() == spec ? "unknown verb '" + first + "'"
                    : oneDirectory(problem);
        } else if (problem instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()) {
            message = m.getMissing().get(0) instanceof OptionSpec option ? option.longestName() + " needs a value"
                    : oneDirectory(problem);
        }
        return usageError(message);
    }

    private static String oneDirectory(ParameterException problem) {
        return problem.getCommandLine().getCommandName().equals("issue") ? "issue needs exactly one output directory"
                : "init needs exactly one directory";
    }

    private int usageError(String message) {
        ctx.err().println("mailfleet cluster credentials: " + message);
        ctx.err().print(spec.commandLine().getUsageMessage());
        return 2;
    }

    @Command(name = "init", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet cluster credentials init CA_DIR",
            description = "Create a private cluster CA: CA_DIR/ca.key (keep it off the nodes if you can) and CA_DIR/ca.crt.")
    int init(@Parameters(paramLabel = "CA_DIR", description = "a new or empty directory") Path dir) {
        try {
            X509Certificate ca = ClusterCertificates.createCa(dir, ClusterCertificates.DEFAULT_VALIDITY);
            ctx.out().println("cluster CA " + ca.getSubjectX500Principal().getName() + " created in " + dir.toAbsolutePath()
                    + " (ca.key, ca.crt); now issue each node's credentials with: "
                    + "./mailfleet cluster credentials issue --ca " + dir + " OUT_DIR");
            return 0;
        } catch (IOException e) {
            ctx.err().println("mailfleet cluster credentials: " + e.getMessage());
            return 1;
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            customSynopsis = "    ./mailfleet cluster credentials issue --ca CA_DIR [--node NAME] [--days N] OUT_DIR",
            description = {"Create a node's credentials from the CA: OUT_DIR/tls.key, OUT_DIR/tls.crt and a copy of",
                    "ca.crt; point the node at OUT_DIR with MAILFLEET_CLUSTER_CREDENTIALS_DIR."})
    int issue(@Option(names = "--ca", paramLabel = "CA_DIR", description = "the CA made by init") Path ca,
              @Option(names = "--node", paramLabel = "NAME", defaultValue = CredentialFiles.CLUSTER_NAME,
                      description = "the certificate's name (default ${DEFAULT-VALUE})") String nodeName,
              @Option(names = "--days", paramLabel = "N", defaultValue = "3650",
                      description = "days of validity, 1 to 36500 (default ${DEFAULT-VALUE})") String daysText,
              @Parameters(paramLabel = "OUT_DIR", arity = "0..1", description = "where the node's files go") Path outDir) {
        String node = nodeName.toLowerCase(Locale.ROOT);
        long days;
        try {
            days = days(daysText);
            if (ca == null) {
                throw new IllegalArgumentException("issue needs --ca CA_DIR");
            }
            if (outDir == null) {
                throw new IllegalArgumentException("issue needs exactly one output directory");
            }
            if (!node.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")) {
                throw new IllegalArgumentException("--node '" + node + "' is not a host-name-like name (letters, digits, "
                        + "hyphens, dots)");
            }
        } catch (IllegalArgumentException e) {
            return usageError(e.getMessage());
        }
        try {
            X509Certificate cert = ClusterCertificates.issue(ca, node, Duration.ofDays(days), outDir);
            ctx.out().println("node credentials for " + node + " (valid until " + cert.getNotAfter().toInstant() + ") in "
                    + outDir.toAbsolutePath() + " (tls.key, tls.crt, ca.crt); start the node with "
                    + "MAILFLEET_CLUSTER_CREDENTIALS_DIR=" + outDir.toAbsolutePath());
            return 0;
        } catch (IOException e) {
            ctx.err().println("mailfleet cluster credentials: " + e.getMessage());
            return 1;
        }
    }

    private static long days(String s) {
        if (!s.matches("[0-9]{1,5}") || Long.parseLong(s) < 1 || Long.parseLong(s) > 36500) {
            throw new IllegalArgumentException("--days '" + s + "' is not a whole number from 1 to 36500");
        }
        return Long.parseLong(s);
    }
}
