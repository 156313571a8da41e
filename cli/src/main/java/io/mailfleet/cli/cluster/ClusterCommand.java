package io.mailfleet.cli.cluster;

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
        subcommands = {CredentialsCommand.class, HelpSubcommand.class})
public final class ClusterCommand implements Callable<Integer>, UsageErrors {

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
    public int guarded(Callable<Integer> verb) {
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

    /** {@code s} when it is a whole number of at most five digits; else a usage error naming {@code what}. */
    public static String number(String s, String what) {
        if (!s.matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException(what + " '" + s + "' is not a whole number");
        }
        return s;
    }
}
