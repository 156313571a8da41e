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
            err.println("bench smtp: " + e.getMessage());
            err.println(SmtpBenchOptions.USAGE);
            return 2;
        }
        try {
            SmtpBenchResult result = new SmtpBench(options, err).run();
            out.print(SmtpBenchReport.table(result));
            out.println(SmtpBenchReport.summary(result));
            return 0;
        } catch (BenchUsageException e) {
            err.println("bench smtp: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("bench smtp: interrupted");
            return 1;
        } catch (Exception | Error e) {
            err.println("bench smtp: failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    private static int imap(String[] rest, PrintStream out, PrintStream err) {
        if (Arrays.asList(rest).contains("--help")) {
            out.println(ImapBench.USAGE);
            out.println(ImapIdleOptions.USAGE);
            return 0;
        }
        if (ImapIdleOptions.requested(rest)) {
            return imapIdle(rest, out, err);
        }
        ImapBench bench;
        try {
            bench = ImapBench.parse(rest, out);
        } catch (BenchUsageException e) {
            err.println("bench imap: " + e.getMessage());
            err.println(ImapBench.USAGE);
            return 2;
        }
        try {
            bench.run();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("bench imap: interrupted");
            return 1;
        } catch (Exception | Error e) {
            err.println("bench imap: failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    private static int imapIdle(String[] rest, PrintStream out, PrintStream err) {
        ImapIdleOptions options;
        try {
            options = ImapIdleOptions.parse(rest);
        } catch (BenchUsageException e) {
            err.println("bench imap: " + e.getMessage());
            err.println(ImapIdleOptions.USAGE);
            return 2;
        }
        try {
            new ImapIdleBench(options, out).run();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("bench imap: interrupted");
            return 1;
        } catch (Exception | Error e) {
            err.println("bench imap: failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    private static int relay(String[] rest, PrintStream out, PrintStream err) {
        if (Arrays.asList(rest).contains("--help")) {
            out.println(RelayBench.USAGE);
            return 0;
        }
        try {
            RelayBench.parse(rest, out).run();
            return 0;
        } catch (BenchUsageException e) {
            err.println("bench relay: " + e.getMessage());
            err.println(RelayBench.USAGE);
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("bench relay: interrupted");
            return 1;
        } catch (Exception | Error e) {
            err.println("bench relay: failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }
}
