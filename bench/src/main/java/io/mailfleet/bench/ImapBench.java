package io.mailfleet.bench;

import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.server.config.MailfleetConfig;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code mailfleet bench imap}: a mixed IMAP load (N clients each looping LOGIN, SELECT, FETCH of flags,
 * envelopes and bodies, STORE, APPEND, EXPUNGE, NOOP, LOGOUT on its own account) against a single node
 * started in this JVM with the real storage, then K connections parked in IDLE with the heap they cost.
 */
final class ImapBench {

    static final String USAGE = """
            usage: mailfleet bench imap [--clients N] [--seconds S] [--warmup W] [--messages M] [--size S] [--idle K]
              --clients N   concurrent clients, each on its own account (default 10)
              --seconds S   length of the measured mixed load (default 20)
              --warmup W    seconds of the same load first, not counted, so the JIT compiler is done (default 0)
              --messages M  messages preloaded per account (default 100)
              --size S      bytes per message, k suffix allowed (default 4k)
              --idle K      connections to park in IDLE afterwards, 0 to skip (default 0)""";

    private static final String PASSWORD = "bench-password";
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\}$");
    private static final Pattern EXISTS = Pattern.compile("^\\* (\\d+) EXISTS$");
    private static final Pattern UID = Pattern.compile("UID (\\d+)");

    private final int clients;
    private final int seconds;
    private final int warmup;
    private final int messages;
    private final int size;
    private final int idle;
    private final PrintStream out;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());

    private ImapBench(int clients, int seconds, int warmup, int messages, int size, int idle, PrintStream out) {
        this.clients = clients;
        this.seconds = seconds;
        this.warmup = warmup;
        this.messages = messages;
        this.size = size;
        this.idle = idle;
        this.out = out;
    }

    /** Parses the options; a bad one is a {@link BenchUsageException} naming it. */
    static ImapBench parse(String[] args, PrintStream out) throws BenchUsageException {
        Map<String, String> o = new HashMap<>(Map.of("--clients", "10", "--seconds", "20", "--warmup", "0",
                "--messages", "100", "--size", "4k", "--idle", "0"));
        for (int i = 0; i < args.length; i++) {
            if (!o.containsKey(args[i]) || i + 1 >= args.length) {
                throw new BenchUsageException("unknown option or missing value: " + args[i]);
            }
            o.put(args[i], args[++i]);
        }
        int clients = number(o, "--clients", 1, 1000);
        int seconds = number(o, "--seconds", 1, 3600);
        int messages = number(o, "--messages", 2, 100_000);
        String s = o.get("--size").toLowerCase();
        int size;
        try {
            size = s.endsWith("k") ? Integer.parseInt(s.substring(0, s.length() - 1)) * 1024 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new BenchUsageException("--size must be a number of bytes with an optional k suffix, got " + s);
        }
        if (size < 200 || size > 10 * 1024 * 1024) {
            throw new BenchUsageException("--size must be between 200 and 10m, got " + s);
        }
        return new ImapBench(clients, seconds, number(o, "--warmup", 0, 3600), messages, size,
                number(o, "--idle", 0, 100_000), out);
    }

    private static int number(Map<String, String> o, String key, int min, int max) throws BenchUsageException {
        try {
            int v = Integer.parseInt(o.get(key));
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BenchUsageException(key + " must be an integer in " + min + ".." + max + ", got " + o.get(key));
    }

    void run() throws Exception {
        // The per-command server log would drown the report; warnings and errors still show.
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
        }
        Path data = Files.createTempDirectory("mailfleet-imap-bench-");
        Map<String, String> env = BenchNodes.loopbackEnv(data);
        env.put("ENABLE_IMAP", "1");
        MachineInfo m = MachineInfo.current();
        out.println("machine: " + m.cores() + " cores, " + m.cpu() + "; " + m.os() + "; " + m.javaVersion()
                + "; heap max " + (m.heapMaxBytes() >> 20) + " MiB " + m.jvmArguments());
        try (MailfleetServer server = MailfleetServer.start(MailfleetConfig.load(null, env),
                new FirstAccount("bench1@example.com", PASSWORD, false))) {
            int port = server.listeners().imapPorts().get(false);
            int idleAccounts = (idle + 9) / 10;
            String hash = PasswordSchemes.hash(PASSWORD);
            for (int i = 2; i <= Math.max(clients, idleAccounts); i++) {
                server.node().directory().apply(new DirectoryChange.AddAccount("bench" + i + "@example.com", hash))
                        .toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            load(port);
            if (idle > 0) {
                idle(port, idleAccounts);
            }
        } finally {
            try (var walk = Files.walk(data)) {
                walk.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void load(int port) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> setup = new ArrayList<>();
            for (int c = 1; c <= clients; c++) {
                String account = "bench" + c + "@example.com";
                setup.add(pool.submit(() -> preload(port, account)));
            }
            for (Future<?> f : setup) {
                f.get();
            }
            if (warmup > 0) {
                out.println("warming up for " + warmup + " s (not counted)");
                loop(pool, port, warmup);
            }
            counts.clear();
            nanos.clear();
            errors.clear();
            errorSamples.clear();
            long start = System.nanoTime();
            ProcessCpu.Mark cpuStart = ProcessCpu.mark();
            loop(pool, port, seconds);
            report((System.nanoTime() - start) / 1e9, ProcessCpu.since(cpuStart));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every client loops sessions on its own account for {@code secs} seconds. */
    private void loop(ExecutorService pool, int port, int secs) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(secs);
        List<Future<?>> runs = new ArrayList<>();
        for (int c = 1; c <= clients; c++) {
            String account = "bench" + c + "@example.com";
            runs.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    session(port, account);
                }
                return null;
            }));
        }
        for (Future<?> f : runs) {
            f.get();
        }
    }

    private Void preload(int port, String account) throws IOException {
        try (Client c = new Client(port)) {
            c.ok("LOGIN", "LOGIN " + account + " " + PASSWORD);
            for (int i = 0; i < messages; i++) {
                c.append("INBOX", message(account, i));
            }
            c.ok("LOGOUT", "LOGOUT");
        }
        return null;
    }

    /** One client session of the realistic mix; every command is timed and checked. */
    private void session(int port, String account) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        try (Client c = new Client(port)) {
            c.timed("LOGIN", "LOGIN " + account + " " + PASSWORD);
            int exists = 0;
            for (String l : c.timed("SELECT", "SELECT INBOX")) {
                Matcher m = EXISTS.matcher(l);
                if (m.matches()) {
                    exists = Integer.parseInt(m.group(1));
                }
            }
            List<Long> uids = new ArrayList<>();
            for (String l : c.timed("FETCH FLAGS", "FETCH 1:* (UID FLAGS)")) {
                Matcher m = UID.matcher(l);
                if (l.startsWith("* ") && m.find()) {
                    uids.add(Long.parseLong(m.group(1)));
                }
            }
            if (exists == 0 || uids.isEmpty()) {
                error("SELECT", "mailbox of " + account + " is empty");
                return;
            }
            c.timed("FETCH ENVELOPE", "FETCH " + Math.max(1, exists - 19) + ":" + exists
                    + " (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)");
            for (int i = 0; i < 3; i++) {
                c.timed("FETCH BODY", "UID FETCH " + uids.get(r.nextInt(uids.size())) + " (BODY.PEEK[])");
            }
            c.timed("STORE", "UID STORE " + uids.get(r.nextInt(uids.size())) + " +FLAGS.SILENT (\\Seen)");
            c.timedAppend(message(account, r.nextInt(1_000_000)));
            c.timed("STORE", "UID STORE " + uids.get(0) + " +FLAGS.SILENT (\\Deleted)");
            c.timed("EXPUNGE", "EXPUNGE");
            c.timed("NOOP", "NOOP");
            c.timed("LOGOUT", "LOGOUT");
        } catch (IOException e) {
            error("I/O", e.toString());
        }
    }

    private byte[] message(String account, int n) {
        StringBuilder sb = new StringBuilder(size + 100);
        sb.append("From: Sender ").append(n).append(" <sender").append(n).append("@remote.example>\r\n")
                .append("To: ").append(account).append("\r\n")
                .append("Subject: Benchmark message number ").append(n).append("\r\n")
                .append("Date: Sat, 21 Nov 2026 10:00:00 +0000\r\n")
                .append("Message-ID: <").append(n).append('.').append(System.nanoTime()).append("@remote.example>\r\n")
                .append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        while (sb.length() < size - 2) {
            sb.append("The quick brown fox jumps over the lazy dog, again and again and again.\r\n");
        }
        sb.setLength(size - 2);
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private void error(String command, String text) {
        errors.computeIfAbsent(command, k -> new LongAdder()).increment();
        if (errorSamples.size() < 10) {
            errorSamples.add(command + ": " + text);
        }
    }

    private void report(double elapsed, ProcessCpu cpu) {
        out.printf("IMAP mixed load: %d clients, %d s after %d s of warm-up, %d messages of %d bytes per account%n",
                clients, seconds, warmup, messages, size);
        out.printf("%-16s %10s %10s %10s %8s%n", "command", "count", "per s", "avg ms", "errors");
        long total = 0;
        long totalErrors = 0;
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(counts).entrySet()) {
            long n = e.getValue().sum();
            long err = errors.getOrDefault(e.getKey(), new LongAdder()).sum();
            total += n;
            totalErrors += err;
            out.printf("%-16s %10d %10.0f %10.2f %8d%n", e.getKey(), n, n / elapsed,
                    nanos.get(e.getKey()).sum() / 1e6 / Math.max(1, n), err);
        }
        long other = errors.getOrDefault("I/O", new LongAdder()).sum();
        totalErrors += other;
        out.printf("%-16s %10d %10.0f %10s %8d%n", "all", total, total / elapsed, "", totalErrors);
        if (cpu.cpuNanos() >= 0) {
            out.printf(Locale.ROOT, "process CPU: %.2f ms per command (load client and node; %.0f %% of %d cores busy), "
                            + "load average %.1f%n", cpu.millisPer(total),
                    100.0 * cpu.cpuNanos() / (elapsed * 1e9) / Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().availableProcessors(), cpu.loadAverage());
            String jit = cpu.jitReport("--warmup");
            if (jit != null) {
                out.println("JIT compiler: " + jit);
            }
        }
        errorSamples.forEach(s -> out.println("  error: " + s));
    }

    /** Parks K connections in IDLE (10 per account, the per-user-and-IP limit) and reports the heap. */
    private void idle(int port, int accounts) throws Exception {
        long before = heapAfterGc();
        List<Client> open = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < idle; i++) {
                String account = "bench" + (i / 10 + 1) + "@example.com";
                all.add(pool.submit(() -> {
                    try {
                        Client c = new Client(port);
                        c.ok("LOGIN", "LOGIN " + account + " " + PASSWORD);
                        c.ok("SELECT", "SELECT INBOX");
                        c.send("i IDLE\r\n");
                        if (!c.readLine().startsWith("+ ")) {
                            throw new IOException("IDLE refused");
                        }
                        open.add(c);
                    } catch (IOException e) {
                        failed.incrementAndGet();
                        error("IDLE", e.toString());
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
            double setup = (System.nanoTime() - start) / 1e9;
            long after = heapAfterGc();
            out.printf("IDLE: %d connections parked in %.1f s (%d failed) over %d accounts; heap used after GC: "
                            + "%d MB before, %d MB with them (%.1f KB per connection, client and server in one JVM); "
                            + "max heap %d MB%n", open.size(), setup, failed.get(), accounts, before >> 20, after >> 20,
                    (after - before) / 1024.0 / Math.max(1, open.size()),
                    Runtime.getRuntime().maxMemory() >> 20);
        } finally {
            pool.shutdownNow();
            for (Client c : open) {
                c.close();
            }
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** A blocking IMAP client: one command at a time, literals in responses read and skipped. */
    private final class Client implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream os;
        private int tag;
        private final byte[] buf = new byte[16 * 1024];
        private int pos;
        private int lim;

        Client(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(60_000);
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
            os = socket.getOutputStream();
            if (!readLine().startsWith("* OK")) {
                throw new IOException("no IMAP greeting");
            }
        }

        void send(String s) throws IOException {
            os.write(s.getBytes(StandardCharsets.UTF_8));
            os.flush();
        }

        List<String> command(String command) throws IOException {
            String t = "t" + (++tag);
            send(t + " " + command + "\r\n");
            return until(t);
        }

        List<String> until(String t) throws IOException {
            List<String> lines = new ArrayList<>();
            while (true) {
                String l = readLine();
                Matcher m;
                while ((m = LITERAL.matcher(l)).find()) {
                    skip(Long.parseLong(m.group(1)));
                    l = l + readLine();
                }
                lines.add(l);
                if (l.startsWith(t + " ")) {
                    return lines;
                }
            }
        }

        List<String> ok(String name, String command) throws IOException {
            List<String> r = command(command);
            String last = r.get(r.size() - 1);
            if (!last.startsWith("t" + tag + " OK")) {
                throw new IOException(name + " failed: " + last);
            }
            return r;
        }

        List<String> timed(String name, String command) throws IOException {
            long t0 = System.nanoTime();
            List<String> r = command(command);
            record(name, t0, r);
            return r;
        }

        void append(String folder, byte[] msg) throws IOException {
            String t = "t" + (++tag);
            send(t + " APPEND " + folder + " {" + msg.length + "+}\r\n");
            os.write(msg);
            send("\r\n");
            List<String> r = until(t);
            if (!r.get(r.size() - 1).startsWith(t + " OK")) {
                throw new IOException("APPEND failed: " + r.get(r.size() - 1));
            }
        }

        void timedAppend(byte[] msg) throws IOException {
            long t0 = System.nanoTime();
            String t = "t" + (++tag);
            send(t + " APPEND INBOX {" + msg.length + "+}\r\n");
            os.write(msg);
            send("\r\n");
            record("APPEND", t0, until(t));
        }

        private void record(String name, long t0, List<String> r) {
            nanos.computeIfAbsent(name, k -> new LongAdder()).add(System.nanoTime() - t0);
            counts.computeIfAbsent(name, k -> new LongAdder()).increment();
            String last = r.get(r.size() - 1);
            if (!last.startsWith("t" + tag + " OK")) {
                error(name, last);
            }
        }

        /**
         * One reply line without its CRLF. Scans the client's own buffer instead of reading byte by byte,
         * so the load client takes as little as possible of the CPU it shares with the node.
         */
        String readLine() throws IOException {
            StringBuilder longLine = null;
            while (true) {
                for (int i = pos; i < lim; i++) {
                    if (buf[i] == '\n') {
                        int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                        String part = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
                        pos = i + 1;
                        if (longLine == null) {
                            return part;
                        }
                        return longLine.append(part).toString();
                    }
                }
                if (lim - pos == buf.length) {
                    // a line longer than the buffer: keep what we have and read on
                    longLine = longLine == null ? new StringBuilder() : longLine;
                    longLine.append(new String(buf, pos, lim - pos, StandardCharsets.UTF_8));
                    pos = lim;
                }
                fill();
            }
        }

        /** Skips {@code n} octets of a literal. */
        void skip(long n) throws IOException {
            while (n > 0) {
                if (pos == lim) {
                    fill();
                }
                int k = (int) Math.min(n, lim - pos);
                pos += k;
                n -= k;
            }
        }

        private void fill() throws IOException {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                pos = 0;
            }
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) {
                throw new IOException("connection closed by the server");
            }
            lim += r;
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a benchmark connection: nothing to report
            }
        }
    }
}
