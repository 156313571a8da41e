package io.mailfleet.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * {@code mailfleet bench imap --idle K --target HOST:PORT}: K connections log in, SELECT INBOX and enter
 * IDLE on a node in another process, are held, then each must still answer {@code DONE} with OK. Optionally
 * measures the node's heap from outside ({@link ServerHeap}) and times one SMTP delivery until the IDLE
 * sessions of its account see {@code * N EXISTS}.
 */
final class ImapIdleBench {

    private static final Pattern EXISTS = Pattern.compile("^\\* \\d+ EXISTS$");
    private static final int MAX_LINE = 64 * 1024;
    private static final String SMTP_FROM = "bench-sender@bench-client.example.org";

    private final ImapIdleOptions o;
    private final PrintStream out;
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

    ImapIdleBench(ImapIdleOptions options, PrintStream out) {
        this.o = options;
        this.out = out;
    }

    void run() throws Exception {
        MachineInfo m = MachineInfo.current();
        out.println("machine: " + m.cores() + " cores, " + m.cpu() + "; " + m.os() + "; " + m.javaVersion());
        out.printf(Locale.ROOT, "IDLE against %s:%d: %d connections over %d accounts (%s .. %s, at most %d each), "
                        + "%d opened at once, hold %d s%n", o.host(), o.port(), o.idle(), o.accounts(), o.account(1),
                o.account(o.accounts()), (o.idle() + o.accounts() - 1) / o.accounts(), o.parallel(), o.holdSeconds());
        ServerHeap heap = o.measuresHeap() ? new ServerHeap(o.serverPid()) : null;
        long before = 0;
        if (heap != null) {
            before = heap.usedAfterGc();
            out.printf(Locale.ROOT, "server pid %d: max heap %d MB, heap used after GC before the connections: %.1f MB%n",
                    o.serverPid(), heap.maxHeap() >> 20, before / 1048576.0);
        }
        IdleConnection[] conns = new IdleConnection[o.idle()];
        ExecutorService pool = Executors.newFixedThreadPool(o.parallel());
        try {
            long start = System.nanoTime();
            int parked = open(pool, conns, start);
            double setup = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "IDLE: %d connections parked in %.1f s (%.0f per s), %d failed; load average %.1f%n",
                    parked, setup, parked / setup, o.idle() - parked, loadAverage());
            reportFailures();
            long holdEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.holdSeconds());
            if (heap != null) {
                long t0 = System.nanoTime();
                long with = heap.usedAfterGc();
                out.printf(Locale.ROOT, "server heap used after GC with %d parked: %.1f MB (before %.1f MB): "
                                + "%.1f KB per connection; GC.run took %.1f s%n", parked, with / 1048576.0,
                        before / 1048576.0, (with - before) / 1024.0 / Math.max(1, parked),
                        (System.nanoTime() - t0) / 1e9);
            }
            if (o.checksDelivery()) {
                deliveryCheck(conns);
            }
            long left = holdEnd - System.nanoTime();
            if (left > 0) {
                out.printf(Locale.ROOT, "holding for %.0f s more%n", left / 1e9);
                TimeUnit.NANOSECONDS.sleep(left);
            }
            finish(pool, conns);
        } finally {
            pool.shutdownNow();
            for (IdleConnection c : conns) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    /** Opens every connection; returns how many reached IDLE. */
    private int open(ExecutorService pool, IdleConnection[] conns, long start) throws Exception {
        AtomicInteger parked = new AtomicInteger();
        int step = Math.max(1, o.idle() / 10);
        List<Future<?>> all = new ArrayList<>(o.idle());
        for (int i = 0; i < o.idle(); i++) {
            int index = i;
            all.add(pool.submit(() -> {
                IdleConnection c = null;
                try {
                    c = new IdleConnection(o.host(), o.port());
                    c.login(o.accountOfConnection(index), o.password());
                    c.selectAndIdle();
                    conns[index] = c;
                    int n = parked.incrementAndGet();
                    if (n % step == 0) {
                        out.printf(Locale.ROOT, "  %d parked (%.1f s)%n", n, (System.nanoTime() - start) / 1e9);
                    }
                } catch (IOException | RuntimeException e) {
                    fail(e);
                    if (c != null) {
                        c.close();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get();
        }
        return parked.get();
    }

    /**
     * Delivers one message to account 1 over SMTP while everything is parked, and times how long its IDLE
     * connections take to see {@code * N EXISTS}: the node must stay responsive with K sessions open.
     */
    private void deliveryCheck(IdleConnection[] conns) throws Exception {
        List<IdleConnection> watched = new ArrayList<>();
        for (int i = 0; i < conns.length; i += o.accounts()) {
            if (conns[i] != null) {
                watched.add(conns[i]);
            }
        }
        ExecutorService readers = Executors.newFixedThreadPool(Math.max(1, watched.size()));
        try {
            long t0 = System.nanoTime();
            List<Future<Long>> seen = new ArrayList<>();
            for (IdleConnection c : watched) {
                seen.add(readers.submit(() -> c.awaitExists(60_000) ? System.nanoTime() : -1L));
            }
            long accepted = smtpDeliver(o.account(1));
            long first = Long.MAX_VALUE;
            long last = 0;
            int saw = 0;
            for (Future<Long> f : seen) {
                long t = f.get();
                if (t > 0) {
                    saw++;
                    first = Math.min(first, t - t0);
                    last = Math.max(last, t - t0);
                }
            }
            out.printf(Locale.ROOT, "delivery to %s over SMTP with %d parked: 250 after %.0f ms; * N EXISTS on %d of its "
                            + "%d IDLE connections, first after %.0f ms, last after %.0f ms%n", o.account(1),
                    conns.length, (accepted - t0) / 1e6, saw, watched.size(), saw == 0 ? -1 : first / 1e6,
                    saw == 0 ? -1 : last / 1e6);
        } catch (IOException e) {
            out.println("delivery check failed: " + e.getMessage());
        } finally {
            readers.shutdownNow();
        }
    }

    /** Sends one message; returns {@link System#nanoTime()} when the 250 after DATA arrived. */
    private long smtpDeliver(String rcpt) throws IOException {
        BenchMessage msg = new BenchMessage(SMTP_FROM, List.of(rcpt), 2048, System.nanoTime());
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(o.smtpHost(), o.smtpPort()), 30_000);
            s.setSoTimeout(60_000);
            SmtpReplyReader in = new SmtpReplyReader(new BufferedInputStream(s.getInputStream()));
            OutputStream os = s.getOutputStream();
            expect(in.read(), "greeting");
            for (String cmd : new String[] {"EHLO bench-client.example.org", "MAIL FROM:<" + SMTP_FROM + ">",
                    "RCPT TO:<" + rcpt + ">"}) {
                os.write((cmd + "\r\n").getBytes(StandardCharsets.US_ASCII));
                os.flush();
                expect(in.read(), cmd);
            }
            os.write("DATA\r\n".getBytes(StandardCharsets.US_ASCII));
            os.flush();
            SmtpReplyReader.Reply data = in.read();
            if (data.code() != 354) {
                throw new IOException("SMTP DATA refused: " + data);
            }
            os.write(msg.headerOf(1));
            os.write(msg.body());
            os.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            os.flush();
            expect(in.read(), "end of DATA");
            long accepted = System.nanoTime();
            os.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            os.flush();
            return accepted;
        }
    }

    private static void expect(SmtpReplyReader.Reply r, String step) throws IOException {
        if (!r.positive()) {
            throw new IOException("SMTP " + step + " refused: " + r);
        }
    }

    /** Ends every IDLE with DONE: a connection counts as still parked only if the node answers OK. */
    private void finish(ExecutorService pool, IdleConnection[] conns) throws Exception {
        long t0 = System.nanoTime();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger();
        List<Future<?>> all = new ArrayList<>();
        for (IdleConnection c : conns) {
            if (c == null) {
                continue;
            }
            all.add(pool.submit(() -> {
                try {
                    c.done();
                    ok.incrementAndGet();
                } catch (IOException | RuntimeException e) {
                    lost.incrementAndGet();
                    fail(e);
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get();
        }
        out.printf(Locale.ROOT, "after the hold: %d connections answered DONE with OK, %d lost, in %.1f s; "
                + "load average %.1f%n", ok.get(), lost.get(), (System.nanoTime() - t0) / 1e9, loadAverage());
        reportFailures();
    }

    private void fail(Exception e) {
        String reason = e.getMessage() == null ? e.toString() : e.getMessage();
        failures.computeIfAbsent(reason.length() > 160 ? reason.substring(0, 160) : reason, k -> new LongAdder())
                .increment();
    }

    private void reportFailures() {
        new TreeMap<>(failures).forEach((reason, n) -> out.printf("  %6d x %s%n", n.sum(), reason));
        failures.clear();
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** One blocking IMAP connection with a small buffer (thousands are held at once). */
    private static final class IdleConnection implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream os;

        IdleConnection(String host, int port) throws IOException {
            socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(host, port), 30_000);
                socket.setSoTimeout(60_000);
                socket.setTcpNoDelay(true);
                in = new BufferedInputStream(socket.getInputStream(), 1024);
                os = socket.getOutputStream();
                String greeting = readLine();
                if (!greeting.startsWith("* OK")) {
                    throw new IOException("no IMAP greeting: " + greeting);
                }
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        void login(String user, String password) throws IOException {
            command("a", "LOGIN \"" + user + "\" \"" + password + "\"", "LOGIN");
        }

        void selectAndIdle() throws IOException {
            command("b", "SELECT INBOX", "SELECT");
            send("c IDLE\r\n");
            String l;
            do {
                l = readLine();
                if (l.startsWith("c ")) {
                    throw new IOException("IDLE refused: " + l.substring(2));
                }
            } while (!l.startsWith("+"));
        }

        /** Reads until {@code * N EXISTS}; false when nothing came within the timeout. */
        boolean awaitExists(int timeoutMillis) throws IOException {
            socket.setSoTimeout(timeoutMillis);
            try {
                while (!EXISTS.matcher(readLine()).matches()) {
                    // other untagged responses (RECENT, FETCH) are not what is timed
                }
                return true;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } finally {
                socket.setSoTimeout(60_000);
            }
        }

        void done() throws IOException {
            send("DONE\r\n");
            String l;
            do {
                l = readLine();
            } while (!l.startsWith("c "));
            if (!l.startsWith("c OK")) {
                throw new IOException("DONE answered: " + l.substring(2));
            }
        }

        private void command(String tag, String command, String name) throws IOException {
            send(tag + " " + command + "\r\n");
            String l;
            do {
                l = readLine();
            } while (!l.startsWith(tag + " "));
            if (!l.startsWith(tag + " OK")) {
                throw new IOException(name + " failed: " + l.substring(tag.length() + 1));
            }
        }

        private void send(String s) throws IOException {
            os.write(s.getBytes(StandardCharsets.US_ASCII));
            os.flush();
        }

        /** One line without CRLF; a closed connection, or a {@code * BYE}, is an error naming it. */
        private String readLine() throws IOException {
            StringBuilder sb = new StringBuilder(80);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (b == '\n') {
                    int len = sb.length();
                    String l = len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
                    if (l.startsWith("* BYE")) {
                        throw new IOException("server said " + l);
                    }
                    return l;
                }
                if (sb.length() >= MAX_LINE) {
                    throw new IOException("reply line longer than " + MAX_LINE + " octets");
                }
                sb.append((char) b);
            }
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
