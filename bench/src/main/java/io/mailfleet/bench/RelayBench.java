package io.mailfleet.bench;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.server.config.MailfleetConfig;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./mailfleet bench relay}: outbound throughput. An in-process node with
 * {@code DEFAULT_RELAY_HOST} pointing at a local sink gets messages from an authenticated local
 * sender to a remote address straight into its queue; the figures are messages per second
 * relayed and the time each message spent in the queue (accepted to the sink's end of DATA).
 * With {@code --mta-sts none|enforce} the node delivers by MX instead ({@link MxDestination}), over
 * STARTTLS, without or with an MTA-STS {@code enforce} policy for the sink's domain.
 */
final class RelayBench {

    static final String USAGE = """
            usage: mailfleet bench relay [--messages N] [--size BYTES] [--in-flight N] [--warmup N] [--mta-sts none|enforce] [--keep-data]
              --messages N    messages to relay (default 5000)
              --warmup N      relay N messages first, not measured (default 0)
              --size BYTES    approximate message size (default 2048)
              --in-flight N   messages being enqueued at once (default 64)
              --mta-sts MODE  deliver by MX (local DNS server) to a sink offering STARTTLS with a certificate
                              the node trusts, the sink's domain without (none) or with (enforce) an MTA-STS
                              policy served over HTTPS; compare the two (benchmarks/relay-mta-sts.sh).
                              Without it: through DEFAULT_RELAY_HOST, no TLS
              --keep-data     keep the node's data directory and log""";

    /** How the node reaches the sink. */
    enum Route {
        /** {@code DEFAULT_RELAY_HOST}, plain text (no {@code --mta-sts}). */
        RELAY_HOST,
        /** By MX over STARTTLS, no MTA-STS policy ({@code --mta-sts none}). */
        MX,
        /** By MX over verified STARTTLS under an MTA-STS enforce policy ({@code --mta-sts enforce}). */
        MX_STS_ENFORCE
    }

    /** What a run did: relayed messages, enqueue failures, the rate, and what the sink and policy host saw. */
    record Result(Route route, long relayed, int enqueueFailures, double relayedPerSecond, long sinkSessions,
                  long tlsSessions, long policyFetches) {
    }

    private final int messages;
    private final int size;
    private final int inFlight;
    private final boolean keepData;
    private final Route route;
    private final int warmup;
    private final PrintStream out;

    /** Ids of warm-up messages start here; the sink's count of them is kept apart from the measured ones. */
    private static final long WARMUP_IDS = 1_000_000_000L;

    private RelayBench(int messages, int size, int inFlight, boolean keepData, Route route, int warmup, PrintStream out) {
        this.route = route;
        this.warmup = warmup;
        this.messages = messages;
        this.size = size;
        this.inFlight = inFlight;
        this.keepData = keepData;
        this.out = out;
    }

    static RelayBench parse(String[] args, PrintStream out) throws BenchUsageException {
        int messages = 5000;
        int size = 2048;
        int inFlight = 64;
        boolean keep = false;
        Route route = Route.RELAY_HOST;
        int warmup = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup" -> warmup = positive(args, ++i, "--warmup");
                case "--mta-sts" -> {
                    if (++i >= args.length) {
                        throw new BenchUsageException("--mta-sts needs a value: none or enforce");
                    }
                    route = switch (args[i].toLowerCase(java.util.Locale.ROOT)) {
                        case "none" -> Route.MX;
                        case "enforce" -> Route.MX_STS_ENFORCE;
                        default -> throw new BenchUsageException("--mta-sts takes none or enforce, not '" + args[i] + "'");
                    };
                }
                case "--messages" -> messages = positive(args, ++i, "--messages");
                case "--size" -> size = positive(args, ++i, "--size");
                case "--in-flight" -> inFlight = positive(args, ++i, "--in-flight");
                case "--keep-data" -> keep = true;
                default -> throw new BenchUsageException("unknown option '" + args[i] + "'");
            }
        }
        return new RelayBench(messages, size, inFlight, keep, route, warmup, out);
    }

    private static int positive(String[] args, int i, String name) throws BenchUsageException {
        if (i >= args.length) {
            throw new BenchUsageException(name + " needs a value");
        }
        try {
            int v = Integer.parseInt(args[i]);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BenchUsageException(name + " must be a positive whole number, not '" + args[i] + "'");
    }

    Result run() throws Exception {
        Map<Long, Long> enqueuedAt = new ConcurrentHashMap<>();
        Latencies inQueue = new Latencies();
        AtomicLong relayed = new AtomicLong();
        AtomicLong lastReceived = new AtomicLong();
        Object lock = new Object();
        Path data = Files.createTempDirectory("mailfleet-bench-relay-");
        BenchNodes.logTo(data.resolve("server.log"));
        MxDestination mx = route == Route.RELAY_HOST ? null : MxDestination.start(data, route == Route.MX_STS_ENFORCE);
        AtomicLong warmedUp = new AtomicLong();
        try (mx; RelaySink sink = new RelaySink(id -> {
            if (id >= WARMUP_IDS) {
                warmedUp.incrementAndGet();
                return;
            }
            long now = System.nanoTime();
            Long t0 = enqueuedAt.remove(id);
            synchronized (lock) {
                if (t0 != null) {
                    inQueue.add(now - t0);
                }
            }
            lastReceived.set(now);
            relayed.incrementAndGet();
        }, mx == null ? null : mx.sinkTls())) {
            Map<String, String> env = BenchNodes.loopbackEnv(data);
            if (mx == null) {
                env.put("DEFAULT_RELAY_HOST", "[127.0.0.1]:" + sink.port());
            } else {
                mx.configure(env, sink.port());
            }
            try (MailfleetServer server = MailfleetServer.start(MailfleetConfig.load(null, env),
                    new FirstAccount("bench@example.com", "bench-password", false))) {
                MachineInfo m = MachineInfo.current();
                out.printf(Locale.ROOT, "bench relay: %d messages of ~%d bytes, %d in flight, %s%n",
                        messages, size, inFlight, switch (route) {
                            case RELAY_HOST -> "relay [127.0.0.1]:" + sink.port();
                            case MX -> "by MX " + MxDestination.MX_HOST + " (127.0.0.1:" + sink.port()
                                    + ") over STARTTLS, no MTA-STS policy";
                            case MX_STS_ENFORCE -> "by MX " + MxDestination.MX_HOST + " (127.0.0.1:" + sink.port()
                                    + ") over STARTTLS, MTA-STS enforce policy id=" + MxDestination.POLICY_ID;
                        });
                out.printf(Locale.ROOT, "machine: %d cores, %s, %s, max heap %d MiB%n", m.cores(), m.cpu(), m.os(),
                        m.heapMaxBytes() >> 20);
                byte[] padding = "x".repeat(Math.max(0, size - 300)).getBytes(StandardCharsets.US_ASCII);
                Semaphore permits = new Semaphore(inFlight);
                List<Throwable> failures = new ArrayList<>();
                if (warmup > 0) {
                    // not measured: the JIT, the connections and (with --mta-sts) the policy fetch warm up
                    for (long i = 0; i < warmup; i++) {
                        permits.acquire();
                        enqueue(server, WARMUP_IDS + i, padding).whenComplete((qid, err) -> permits.release());
                    }
                    permits.acquire(inFlight);
                    permits.release(inFlight);
                    long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                    while (warmedUp.get() < warmup && System.nanoTime() < until) {
                        Thread.sleep(20);
                    }
                    out.printf(Locale.ROOT, "warm-up: %d of %d messages relayed (not measured)%n", warmedUp.get(), warmup);
                }
                long start = System.nanoTime();
                for (long i = 0; i < messages; i++) {
                    permits.acquire();
                    long id = i;
                    enqueue(server, id, padding).whenComplete((qid, err) -> {
                        if (err != null) {
                            synchronized (failures) {
                                failures.add(err);
                            }
                        } else {
                            enqueuedAt.putIfAbsent(id, System.nanoTime());
                        }
                        permits.release();
                    });
                }
                permits.acquire(inFlight);
                long enqueueDone = System.nanoTime();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                while (relayed.get() < messages - failures.size() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                long end = lastReceived.get();
                Latencies.Summary q;
                synchronized (lock) {
                    q = inQueue.summary();
                }
                double seconds = (end - start) / 1e9;
                out.printf(Locale.ROOT, "enqueued %d in %.2f s (%.0f msg/s), %d enqueue failures%n", messages - failures.size(),
                        (enqueueDone - start) / 1e9, (messages - failures.size()) / ((enqueueDone - start) / 1e9), failures.size());
                out.printf(Locale.ROOT, "relayed %d in %.2f s: %.0f msg/s%n", relayed.get(), seconds, relayed.get() / seconds);
                out.printf(Locale.ROOT, "time in queue (accepted -> relay's end of DATA): p50 %.1f ms, p90 %.1f ms,"
                                + " p99 %.1f ms, max %.1f ms (%d samples)%n", q.p50() / 1e6, q.p90() / 1e6, q.p99() / 1e6,
                        q.max() / 1e6, q.samples());
                if (mx != null) {
                    out.printf(Locale.ROOT, "sink sessions: %d, %d of them over STARTTLS; MTA-STS policy fetched %d"
                                    + " time(s); %d DNS queries answered%n", sink.sessions(), sink.tlsSessions(),
                            mx.policyFetches(), mx.dnsQueries());
                }
                if (!failures.isEmpty()) {
                    out.println("first enqueue failure: " + failures.get(0));
                }
                return new Result(route, relayed.get(), failures.size(), relayed.get() / seconds, sink.sessions(),
                        sink.tlsSessions(), mx == null ? 0 : mx.policyFetches());
            }
        } finally {
            if (!keepData) {
                BenchNodes.deleteTree(data);
            } else {
                out.println("data and log kept in " + data);
            }
        }
    }

    private static java.util.concurrent.CompletableFuture<String> enqueue(MailfleetServer server, long id, byte[] padding) {
        String head = "From: <bench@example.com>\r\nTo: <sink@relay.example>\r\nSubject: relay bench " + id
                + "\r\nMessage-ID: <relay-bench-" + id + "@example.com>\r\nX-Bench-Id: " + id + "\r\n\r\n";
        try (BlobWriter w = server.blobs().create()) {
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            w.write(h, 0, h.length);
            for (int off = 0; off < padding.length; off += 76) {
                int n = Math.min(76, padding.length - off);
                w.write(padding, off, n);
                w.write(new byte[]{'\r', '\n'}, 0, 2);
            }
            BlobRef ref = w.commit().toCompletableFuture().get(30, TimeUnit.SECONDS);
            Envelope env = new Envelope("bench@example.com", List.of(EnvelopeRecipient.of("sink@relay.example")),
                    "bench.client", "127.0.0.1", "bench@example.com", true, null, null, "7BIT", false, Instant.now());
            return server.node().queue().enqueue(env, ref).toCompletableFuture();
        } catch (Exception e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }
}
