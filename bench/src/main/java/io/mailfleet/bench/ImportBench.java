package io.mailfleet.bench;

import io.mailfleet.cli.Cli;
import io.mailfleet.cluster.mailbox.MailboxEntity;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code bench import}: generates a Dovecot Maildir (or reuses one), starts the in-process node and
 * imports the Maildir into an account the way an operator does, {@code ./mailfleet import maildir}
 * through the node's management API, timing the whole call; then checks the mailbox holds every
 * message and reports messages/s, MB/s and the process CPU per message.
 */
final class ImportBench {

    private static final Pattern IMPORTED = Pattern.compile("INFO: imported (\\d+) message\\(s\\).*?, (\\d+) already there, (\\d+) skipped");
    private static final Pattern KEPT = Pattern.compile("INFO: (\\d+) message\\(s\\) kept the UID");

    private final ImportBenchOptions options;
    private final PrintStream out;

    ImportBench(ImportBenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** What one {@code import maildir} call reported and how long it took. */
    record Run(long imported, long present, long skipped, long uidsKept, long nanos, String output) {
        double perSecond() {
            return nanos <= 0 ? 0 : imported * 1e9 / nanos;
        }
    }

    void run() throws Exception {
        MachineInfo machine = MachineInfo.current();
        Path work = Files.createTempDirectory("mailfleet-import-bench-");
        try {
            Path maildir = options.maildir() != null ? options.maildir() : work.resolve("maildir");
            long fileBytes = prepare(maildir, options.messages());
            Path warm = null;
            if (options.warmup() > 0) {
                warm = work.resolve("warmup");
                prepare(warm, options.warmup());
            }
            out.println("bench: starting an in-process node (real storage, temporary data directory)");
            try (InProcessNode node = InProcessNode.start(2, 1, options.keepData())) {
                String account = node.accounts().get(0);
                out.println("bench: node up, data " + node.dataDir() + " (server log: "
                        + node.dataDir().resolve("server.log") + ")");
                if (warm != null) {
                    out.println("bench: warm-up, importing " + options.warmup() + " messages into " + node.accounts().get(1));
                    importOnce(node, warm, node.accounts().get(1));
                }
                out.println("bench: importing " + maildir + " into " + account);
                JfrProfile jfr = options.jfr() == null ? null : JfrProfile.start(options.jfr());
                Run run;
                ProcessCpu cpu;
                String profile = null;
                try {
                    ProcessCpu.Mark cpuStart = ProcessCpu.mark();
                    run = importOnce(node, maildir, account);
                    cpu = ProcessCpu.since(cpuStart);
                    if (jfr != null) {
                        profile = jfr.stop();
                    }
                } finally {
                    if (jfr != null) {
                        jfr.close();
                    }
                }
                MailboxEntity.Status status = node.status(account);
                Run again = null;
                if (options.rerun()) {
                    out.println("bench: importing the same Maildir again (every message is already there)");
                    again = importOnce(node, maildir, account);
                }
                out.print(report(machine, maildir, fileBytes, run, cpu, status, again));
                if (profile != null) {
                    out.print(profile);
                }
                long inFolders = status.folders().stream().mapToLong(MailboxEntity.FolderStatus::messages).sum();
                if (inFolders != run.imported() + run.present() || again != null && again.imported() > 0) {
                    // a re-run finds every message by the hash of its stored bytes: one imported again was stored wrong
                    throw new IllegalStateException("the import is not exact: the mailbox holds " + inFolders
                            + " messages after importing " + run.imported()
                            + (again == null ? "" : ", and the re-run imported " + again.imported() + " again"));
                }
            }
        } finally {
            BenchNodes.deleteTree(work);
        }
    }

    /** Generates the Maildir unless {@code dir} already holds one; answers the bytes of its message files. */
    private long prepare(Path dir, int messages) throws Exception {
        if (Files.isDirectory(dir.resolve("cur"))) {
            long bytes = 0;
            try (var files = Files.walk(dir)) {
                bytes = files.filter(p -> p.getParent() != null && (p.getParent().getFileName().toString().equals("cur")
                        || p.getParent().getFileName().toString().equals("new")) && Files.isRegularFile(p))
                        .mapToLong(p -> p.toFile().length()).sum();
            }
            out.println("bench: reusing the Maildir " + dir + " (" + bytes / 1_000_000 + " MB of messages)");
            return bytes;
        }
        out.println("bench: generating a Maildir of " + messages + " messages of " + options.size() + " octets in "
                + options.folders() + " folder(s) under " + dir);
        long t = System.nanoTime();
        MaildirGenerator.Written w = new MaildirGenerator(messages, options.size(), options.folders()).write(dir);
        out.println(String.format(Locale.ROOT, "bench: generated %d messages (%d MB) in %.1f s", w.messages(),
                w.bytes() / 1_000_000, (System.nanoTime() - t) / 1e9));
        return w.bytes();
    }

    /** {@code ./mailfleet import maildir DIR --account A} against the node, timed. */
    private static Run importOnce(InProcessNode node, Path maildir, String account) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        long t = System.nanoTime();
        int code = Cli.run(new String[] {"import", "maildir", maildir.toString(), "--account", account},
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                node.env());
        long nanos = System.nanoTime() - t;
        String output = o.toString(StandardCharsets.UTF_8);
        if (code != 0) {
            throw new IllegalStateException("import maildir exited with " + code + ": " + output
                    + e.toString(StandardCharsets.UTF_8));
        }
        Matcher m = IMPORTED.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("import maildir printed no summary: " + output);
        }
        Matcher k = KEPT.matcher(output);
        return new Run(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                k.find() ? Long.parseLong(k.group(1)) : 0, nanos, output);
    }

    private String report(MachineInfo machine, Path maildir, long fileBytes, Run run, ProcessCpu cpu,
                          MailboxEntity.Status status, Run again) {
        StringBuilder b = new StringBuilder();
        b.append("\nMailfleet Maildir import benchmark\n");
        b.append("------------------------------------------------------------------\n");
        long inFolders = status.folders().stream().mapToLong(MailboxEntity.FolderStatus::messages).sum();
        row(b, "source", maildir + ": " + options.messages() + " messages in " + options.folders() + " folder(s), "
                + fileBytes / 1_000_000 + " MB of files");
        row(b, "imported", run.imported() + " (" + run.present() + " already there, " + run.skipped() + " skipped, "
                + run.uidsKept() + " kept their dovecot-uidlist UID); the mailbox holds " + inFolders
                + (inFolders == run.imported() + run.present() ? "" : " — NOT what was imported"));
        row(b, "elapsed", fmt("%.2f s (the whole import maildir call)", run.nanos() / 1e9));
        row(b, "rate", fmt("%.0f msg/s  (%.1f MB/s of message files, %.1f MB/s stored)", run.perSecond(),
                fileBytes * 1e3 / Math.max(1, run.nanos()), status.usedBytes() * 1e3 / Math.max(1, run.nanos())));
        if (cpu.cpuNanos() >= 0) {
            row(b, "process CPU", fmt("%.3f ms per message (%.0f %% of %d cores busy), load average %.1f",
                    cpu.millisPer(run.imported()), 100.0 * cpu.cpuNanos() / Math.max(1, run.nanos()) / machine.cores(),
                    machine.cores(), cpu.loadAverage()));
            String jit = cpu.jitReport("--warmup");
            if (jit != null) {
                row(b, "JIT compiler", jit);
            }
        }
        if (again != null) {
            row(b, "re-run", fmt("%d imported, %d already there, %.2f s (%.0f msg/s looked at)", again.imported(),
                    again.present(), again.nanos() / 1e9, (again.imported() + again.present()) * 1e9 / Math.max(1, again.nanos())));
        }
        row(b, "machine", machine.cores() + " cores, " + machine.cpu());
        row(b, "os", machine.os());
        row(b, "java", machine.javaVersion());
        row(b, "heap max", (machine.heapMaxBytes() / (1024 * 1024)) + " MiB" + (machine.jvmArguments().isBlank() ? ""
                : "  (JVM args: " + machine.jvmArguments() + ")"));
        b.append("------------------------------------------------------------------\n");
        b.append(fmt("bench import: %d messages imported at %.0f msg/s, %.3f ms CPU per message, %d cores, load average %.1f%n",
                run.imported(), run.perSecond(), cpu.millisPer(run.imported()), machine.cores(), cpu.loadAverage()));
        return b.toString();
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append(fmt("%-28s %s%n", name, value));
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }
}
