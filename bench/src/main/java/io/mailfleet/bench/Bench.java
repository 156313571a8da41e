package io.mailfleet.bench;

import io.mailfleet.cli.Cli;
import io.mailfleet.cli.CliContext;
import io.mailfleet.cli.UsageErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./mailfleet bench <kind> [options]}: load benchmarks; returns a process exit code. Each benchmark
 * checks its own options (ranges, sizes, which options go together) and names the bad one.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet bench smtp|imap|relay|corpus|import [options]   (./mailfleet bench smtp --help)",
        description = "Load benchmarks against an in-process node or, for some, an external one.",
        exitCodeList = {"0:the run completed (protocol errors are counted in the report)", "1:the run failed",
                "2:wrong usage"},
        exitCodeOnInvalidInput = 2)
public final class Bench implements Callable<Integer>, UsageErrors {

    private final CliContext ctx;

    @Spec
    private CommandSpec spec;

    Bench(CliContext ctx) {
        this.ctx = ctx;
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    /** 0 when the run completed (even with SMTP errors, which are reported), 2 on bad usage, 1 on failure. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CliContext ctx = new CliContext(System.in, out, err, System.getenv());
        return Cli.commandLine(new Bench(ctx), ctx).execute(args);
    }

    /** Without a benchmark: the usage, exit 2. */
    @Override
    public Integer call() {
        ctx.out().print(spec.commandLine().getUsageMessage());
        return 2;
    }

    @Override
    public int report(ParameterException problem, CliContext ctx) {
        if (problem.getCommandLine().getCommandSpec() == spec && problem instanceof CommandLine.UnmatchedArgumentException u) {
            ctx.err().println("bench: unknown benchmark '" + u.getUnmatched().get(0) + "'; available: smtp, imap, relay, corpus, import");
            return 2;
        }
        ctx.err().println("bench " + problem.getCommandLine().getCommandName() + ": " + problem.getMessage());
        ctx.err().print(problem.getCommandLine().getUsageMessage());
        return 2;
    }

    @Command(name = "smtp", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet bench smtp [options]", description = SmtpBenchOptions.USAGE)
    int smtp(@Parameters(arity = "0..*", paramLabel = "OPTIONS", hidden = true) List<String> options) {
        PrintStream out = ctx.out();
        PrintStream err = ctx.err();
        SmtpBenchOptions parsed;
        try {
            parsed = SmtpBenchOptions.parse(array(options));
        } catch (BenchUsageException e) {
            return badUsage("bench smtp", e, SmtpBenchOptions.USAGE, err);
        }
        return guarded("bench smtp", () -> {
            SmtpBenchResult result = new SmtpBench(parsed, err).run();
            out.print(SmtpBenchReport.table(result));
            out.println(SmtpBenchReport.summary(result));
        }, err);
    }

    @Command(name = "imap", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet bench imap [options]", description = {ImapBench.USAGE, ImapIdleOptions.USAGE})
    int imap(@Parameters(arity = "0..*", paramLabel = "OPTIONS", hidden = true) List<String> options) {
        return imap(array(options), ctx.out(), ctx.err());
    }

    @Command(name = "relay", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet bench relay [options]", description = RelayBench.USAGE)
    int relay(@Parameters(arity = "0..*", paramLabel = "OPTIONS", hidden = true) List<String> options) {
        return relay(array(options), ctx.out(), ctx.err());
    }

    private static String[] array(List<String> options) {
        return options == null ? new String[0] : options.toArray(String[]::new);
    }

    @Command(name = "corpus", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet bench corpus <DIR> [--compare | --cv]",
            description = {"The built-in Bayes classifier on a labelled corpus: DIR/spam*/ hold spam, the other",
                    "directories ham (raw messages, or the SpamAssassin corpus' JSON); trained on one half (its",
                    "0.1 %% false-positive threshold chosen by cross-validation there), judged on the other.",
                    "--compare: SpamAssassin's and Rspamd's Bayes on the same split (benchmarks/bayes-compare.sh).",
                    "--cv: only the cross-validation inside the training half (recall at 0.1, 0.5 and 1 %% false",
                    "positives), to compare designs without looking at the judged half."})
    int corpus(@Parameters(index = "0", paramLabel = "DIR") java.nio.file.Path dir,
               @picocli.CommandLine.Option(names = "--compare", description = "also train and judge SpamAssassin's and Rspamd's Bayes")
               boolean compare,
               @picocli.CommandLine.Option(names = "--cv", description = "only cross-validate inside the training half")
               boolean cv) {
        return guarded("bench corpus", () -> new CorpusBench(dir, compare, cv, ctx.out()).run(), ctx.err());
    }

    @Command(name = "import", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet bench import [options]", description = ImportBenchOptions.USAGE)
    int importMaildir(@Parameters(arity = "0..*", paramLabel = "OPTIONS", hidden = true) List<String> options) {
        ImportBenchOptions parsed;
        try {
            parsed = ImportBenchOptions.parse(array(options));
        } catch (BenchUsageException e) {
            return badUsage("bench import", e, ImportBenchOptions.USAGE, ctx.err());
        }
        return guarded("bench import", () -> new ImportBench(parsed, ctx.out()).run(), ctx.err());
    }

    private static int imap(String[] rest, PrintStream out, PrintStream err) {
        if (ImapIdleOptions.requested(rest)) {
            ImapIdleOptions options;
            try {
                options = ImapIdleOptions.parse(rest);
            } catch (BenchUsageException e) {
                return badUsage("bench imap", e, ImapIdleOptions.USAGE, err);
            }
            return guarded("bench imap", () -> new ImapIdleBench(options, out).run(), err);
        }
        ImapBench bench;
        try {
            bench = ImapBench.parse(rest, out);
        } catch (BenchUsageException e) {
            return badUsage("bench imap", e, ImapBench.USAGE, err);
        }
        return guarded("bench imap", bench::run, err);
    }

    private static int relay(String[] rest, PrintStream out, PrintStream err) {
        RelayBench bench;
        try {
            bench = RelayBench.parse(rest, out);
        } catch (BenchUsageException e) {
            return badUsage("bench relay", e, RelayBench.USAGE, err);
        }
        return guarded("bench relay", bench::run, err);
    }

    /** A benchmark run once its options are parsed. */
    private interface Run {
        void run() throws Exception;
    }

    private static int badUsage(String name, BenchUsageException e, String usage, PrintStream err) {
        err.println(name + ": " + e.getMessage());
        err.println(usage);
        return 2;
    }

    /** Runs {@code run}: 0 when it completes, 2 for a usage problem found while running, 1 on failure. */
    private static int guarded(String name, Run run, PrintStream err) {
        try {
            run.run();
            return 0;
        } catch (BenchUsageException e) {
            err.println(name + ": " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(name + ": interrupted");
            return 1;
        } catch (Exception | Error e) {
            err.println(name + ": failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }
}
