package io.mailfleet.bench;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs {@code bench smtp}: starts the in-process node unless a target is given, drives the load
 * connections, and (in-process only) polls the mailboxes until every accepted message is in them.
 */
public final class SmtpBench {

    private static final long POLL_MILLIS = 100;
    private static final long STALL_NANOS = 60_000_000_000L;

    private final SmtpBenchOptions options;
    private final PrintStream progress;
    private io.mailfleet.core.dkim.DkimSigningKey signingKey;

    public SmtpBench(SmtpBenchOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public SmtpBenchResult run() throws Exception {
        MachineInfo machine = MachineInfo.current();
        if (options.external()) {
            InetSocketAddress addr = new InetSocketAddress(options.targetHost(), options.targetPort());
            if (addr.isUnresolved()) {
                throw new BenchUsageException("--target host '" + options.targetHost() + "' does not resolve");
            }
            List<String> rcpts = options.rcpts();
            if (options.warmup() > 0) {
                progress.println("bench: warm-up, " + options.warmup() + " messages");
                load(addr, rcpts, options.warmup(), null, 0);
            }
            return measured(addr, rcpts, null, options.targetHost() + ":" + options.targetPort()
                    + " (external, acceptance only)", machine);
        }
        progress.println("bench: starting an in-process node (real storage, temporary data directory), checks: "
                + BenchChecks.describe(options.checks()) + (options.signed() ? ", DKIM-signed messages" : ""));
        String senderDomain = options.from().substring(options.from().lastIndexOf('@') + 1);
        java.security.KeyPair keys = options.signed() ? BenchChecks.dkimKeys() : null;
        signingKey = keys == null ? null : BenchChecks.signingKey(senderDomain, keys);
        try (BenchDns dns = new BenchDns(options.dnsDelayMillis(), options.dnsTtlSeconds());
             InProcessNode node = InProcessNode.start(options.mailboxes(), options.recipients(), options.keepData(),
                     options.checks(), options.internetClient(), dns.address())) {
            if (keys != null) {
                BenchChecks.publishSender(dns, senderDomain, keys);
            }
            progress.println("bench: node up, MX on " + hostPort(node.mxAddress()) + ", data " + node.dataDir()
                    + " (server log: " + node.dataDir().resolve("server.log") + "), local DNS " + dns.address());
            if (options.warmup() > 0) {
                progress.println("bench: warm-up, " + options.warmup() + " messages");
                load(node.mxAddress(), node.accounts(), options.warmup(), node, 0);
            }
            SmtpBenchResult r = measured(node.mxAddress(), node.accounts(), node, "in-process node "
                    + hostPort(node.mxAddress()) + " (real storage under " + node.dataDir() + "), checks "
                    + BenchChecks.describe(options.checks()) + (options.signed() ? ", DKIM-signed" : ""), machine);
            progress.println("bench: the local DNS server answered " + dns.queries() + " queries"
                    + (options.dnsDelayMillis() > 0 ? ", each " + options.dnsDelayMillis() + " ms late" : "")
                    + (options.dnsTtlSeconds() == 0 ? ", TTL 0 (nothing cached)" : ""));
            return r;
        }
    }

    private SmtpBenchResult measured(InetSocketAddress addr, List<String> rcpts, InProcessNode node, String target,
                                     MachineInfo machine) throws Exception {
        long baseline = node == null ? 0 : node.delivered();
        progress.println("bench: sending " + options.messages() + " messages of " + options.size() + " octets to "
                + rcpts.size() + " recipient(s) over " + options.connections() + " connections");
        ProcessCpu.Mark cpuStart = ProcessCpu.mark();
        Run run = load(addr, rcpts, options.messages(), node, baseline);
        ProcessCpu cpu = ProcessCpu.since(cpuStart);
        ConnectionStats s = run.stats;
        long unsent = options.messages() - s.accepted - s.errors;
        long acceptNanos = s.accepted == 0 ? 0 : s.lastAcceptNanos - s.firstSendNanos;
        long deliveredNanos = node == null || run.delivered == 0 ? -1 : run.lastDeliveryNanos - s.firstSendNanos;
        int size = new BenchMessage(options.from(), rcpts, options.size(), 1, signingKey).size(0);
        return new SmtpBenchResult(options, target, size, s.accepted, s.errors, Math.max(0, unsent), s.bytes,
                acceptNanos, run.delivered, deliveredNanos, run.delivered >= s.accepted, s.latencies.summary(),
                s.errorSamples, machine, cpu);
    }

    private record Run(ConnectionStats stats, long delivered, long lastDeliveryNanos) {
    }

    /** Sends {@code count} messages; with a node, returns once they are all delivered or delivery stalls. */
    private Run load(InetSocketAddress addr, List<String> rcpts, int count, InProcessNode node, long baseline)
            throws Exception {
        AtomicLong next = new AtomicLong();
        List<ConnectionStats> perConnection = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int connections = Math.min(options.connections(), count);
        for (int i = 0; i < connections; i++) {
            ConnectionStats st = new ConnectionStats();
            perConnection.add(st);
            BenchMessage msg = new BenchMessage(options.from(), rcpts.subList(0, options.recipients()), options.size(),
                    31L * i + System.nanoTime(), signingKey);
            Thread t = new Thread(new SmtpLoadConnection(addr, options.from(), rcpts, options.recipients(), msg, next,
                    count, st),
                    "bench-smtp-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        long delivered = 0;
        long lastDelivery = 0;
        long lastProgress = System.nanoTime();
        long lastReport = lastProgress;
        boolean sending = true;
        while (true) {
            if (sending) {
                sending = threads.stream().anyMatch(Thread::isAlive);
            }
            long now = System.nanoTime();
            if (node != null) {
                long d = node.delivered() - baseline;
                long seen = System.nanoTime();
                if (d > delivered) {
                    delivered = d;
                    lastDelivery = seen;
                    lastProgress = seen;
                }
            }
            if (now - lastReport > 2_000_000_000L) {
                lastReport = now;
                progress.println("bench: " + Math.min(next.get(), count) + "/" + count + " started"
                        + (node == null ? "" : ", " + delivered + " delivered"));
            }
            if (!sending) {
                if (node == null) {
                    break;
                }
                long accepted = perConnection.stream().mapToLong(c -> c.accepted).sum();
                if (delivered >= accepted) {
                    break;
                }
                if (System.nanoTime() - lastProgress > STALL_NANOS) {
                    progress.println("bench: delivery stalled at " + delivered + "/" + accepted
                            + " for 60 s; reporting what was delivered");
                    break;
                }
            }
            Thread.sleep(POLL_MILLIS);
        }
        ConnectionStats total = new ConnectionStats();
        perConnection.forEach(total::merge);
        return new Run(total, delivered, lastDelivery);
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }
}
