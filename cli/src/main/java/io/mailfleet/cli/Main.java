package io.mailfleet.cli;

import io.mailfleet.cli.Cli;
import io.mailfleet.cli.CliContext;
import picocli.CommandLine;

/** The single entry point behind {@code ./mailfleet}: {@code serve}, {@code bench}, {@code cluster} or an admin verb. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // On 2 cores the common pool gets parallelism 1, and CompletableFuture then starts a new
        // thread for every async continuation (two per message in profiles). Must run before first use.
        if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
            System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism",
                    Integer.toString(Math.max(4, Runtime.getRuntime().availableProcessors())));
        }
        CommandLine cli = Cli.commandLine(new CliContext(System.in, System.out, System.err, System.getenv()));
        int code = cli.execute(args);
        if (code == 0 && startedServer(cli)) {
            return; // the server runs until SIGTERM; its own threads keep the JVM alive
        }
        System.exit(code);
    }

    /** Whether this run was {@code serve} starting a node (not printing its help). */
    private static boolean startedServer(CommandLine cli) {
        CommandLine.ParseResult parsed = cli.getParseResult();
        if (parsed == null || !parsed.hasSubcommand()) {
            return false;
        }
        CommandLine.ParseResult sub = parsed.subcommand();
        return sub.commandSpec().name().equals("serve") && !sub.isUsageHelpRequested() && !sub.isVersionHelpRequested()
                && !sub.hasMatchedPositional(0);
    }
}
