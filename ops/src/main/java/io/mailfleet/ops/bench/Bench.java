package io.mailfleet.ops.bench;

import java.io.PrintStream;
import java.util.Arrays;

/** {@code ./mailfleet bench <kind> [options]}: load benchmarks; returns a process exit code. */
public final class Bench {

    private static final String USAGE = "usage: mailfleet bench smtp|imap|relay [options]   (mailfleet bench smtp --help)";

    private Bench() {
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    /** 0 when the run completed (even with SMTP errors, which are reported), 2 on bad usage, 1 on failure. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        if (args[0].equals("relay")) {
            return relay(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args[0].equals("imap")) {
            return imap(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (!args[0].equals("smtp")) {
            err.println("bench: unknown benchmark '" + args[0] + "'; available: smtp, imap, relay");
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (Arrays.asList(rest).contains("--help")) {
            out.println(SmtpBenchOptions.USAGE);
            return 0;
        }
        SmtpBenchOptions options;
        try {
            options = SmtpBenchOptions.parse(rest);
        } catch (BenchUsageException e) {
            return badUsage("bench smtp", e, SmtpBenchOptions.USAGE, err);
        }
        return guarded("bench smtp", () -> {
            SmtpBenchResult result = new SmtpBench(options, err).run();
            out.print(SmtpBenchReport.table(result));
            out.println(SmtpBenchReport.summary(result));
        }, err);
    }

    private static int imap(String[] rest, PrintStream out, PrintStream err) {
        if (Arrays.asList(rest).contains("--help")) {
            out.println(ImapBench.USAGE);
            out.println(ImapIdleOptions.USAGE);
            return 0;
        }
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
        if (Arrays.asList(rest).contains("--help")) {
            out.println(RelayBench.USAGE);
            return 0;
        }
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
