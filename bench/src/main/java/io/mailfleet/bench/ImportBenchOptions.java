package io.mailfleet.bench;

import java.nio.file.Path;

/** Options of {@code bench import}: the Maildir to generate (or reuse) and what to measure. */
public record ImportBenchOptions(int messages, int size, int folders, Path maildir, int warmup, boolean rerun,
                                 Path jfr, boolean keepData) {

    public static final String USAGE = """
            usage: mailfleet bench import [options]
              --messages N      messages in the generated Maildir (default 20000)
              --size S          size of each message file, bytes or with k/m suffix (default 20k)
              --folders N       folders the messages are spread over: INBOX, then Sent, Archive, Lists/Dev ...
                                (default 1, INBOX only)
              --maildir DIR     generate the Maildir in DIR and keep it; a DIR that already holds one (cur/) is
                                imported as it is, so runs can share it (default: a temporary one, deleted)
              --warmup N        first import a Maildir of N messages into another account, not counted (default 0)
              --rerun           import the same Maildir again and time that run (every message already there)
              --jfr FILE        record the measured import with Java Flight Recorder (profile settings) to
                                FILE and print where the CPU samples went
              --keep-data       keep the in-process node's data directory""";

    /** Parses the arguments after {@code bench import}. */
    public static ImportBenchOptions parse(String[] args) throws BenchUsageException {
        int messages = 20_000;
        int size = 20 * 1024;
        int folders = 1;
        Path maildir = null;
        int warmup = 0;
        boolean rerun = false;
        Path jfr = null;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--messages" -> messages = BenchArgs.intIn(a, BenchArgs.value(args, ++i, a), 1, 100_000_000);
                case "--size" -> size = SmtpBenchOptions.parseSize(BenchArgs.value(args, ++i, a));
                case "--folders" -> folders = BenchArgs.intIn(a, BenchArgs.value(args, ++i, a), 1, 1000);
                case "--maildir" -> maildir = path(a, BenchArgs.value(args, ++i, a));
                case "--warmup" -> warmup = BenchArgs.intIn(a, BenchArgs.value(args, ++i, a), 0, 100_000_000);
                case "--rerun" -> rerun = true;
                case "--jfr" -> jfr = path(a, BenchArgs.value(args, ++i, a));
                case "--keep-data" -> keep = true;
                default -> throw new BenchUsageException("unknown option '" + a + "'");
            }
        }
        if (folders > messages) {
            throw new BenchUsageException("--folders " + folders + " needs at least as many --messages, got " + messages);
        }
        return new ImportBenchOptions(messages, size, folders, maildir, warmup, rerun, jfr, keep);
    }

    private static Path path(String option, String v) throws BenchUsageException {
        if (v.isBlank()) {
            throw new BenchUsageException(option + " needs a path");
        }
        try {
            return Path.of(v).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new BenchUsageException(option + " '" + v + "' is not a valid path: " + e.getMessage());
        }
    }
}
