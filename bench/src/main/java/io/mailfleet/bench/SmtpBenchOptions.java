package io.mailfleet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Options of {@code bench smtp}. Without a target the benchmark starts its own node; with one it only
 * measures acceptance, sending to the {@code --rcpt} addresses.
 */
public record SmtpBenchOptions(int connections, int messages, int size, String targetHost, int targetPort,
                               int recipients, List<String> rcpts, String from, int warmup, boolean keepData,
                               int mailboxes, Set<BenchChecks.Group> checks, boolean signed,
                               boolean internetClient, int dnsDelayMillis, long dnsTtlSeconds) {

    public static final String USAGE = """
            usage: mailfleet bench smtp [options]
              --connections N   concurrent SMTP connections (default 20)
              --messages N      messages to send (default 5000)
              --size S          message size, bytes or with k/m suffix (default 2k)
              --recipients N    recipients per message (default 1)
              --mailboxes N     in-process accounts the messages are spread over, round robin (default 50)
              --target H:P      measure an external server instead of an in-process node (acceptance only)
              --rcpt A[,A...]   recipient addresses, required with --target
              --from A          envelope sender (default bench-sender@bench-client.example.org)
              --warmup N        messages sent before the measured run, not counted (default 0)
              --keep-data       keep the in-process node's data directory
              --checks C        inbound checks on in the in-process node: none (default), all, or a comma
                                list of auth (SPF, DKIM verification, DMARC), defences (postscreen pregreet,
                                DNSBL, greylisting with the client whitelisted), scorer (built-in spam scorer);
                                DNS answers come from a local DNS server the bench starts. With --checks
                                (even none) or --signed the load client is an Internet client: loopback is
                                not a trusted network (TRUSTED_NETWORKS=192.0.2.0/24), so the checks apply
              --signed          DKIM-sign the messages (implied by --checks auth; use it on the run with the
                                checks off so both runs send the same messages)
              --dns-delay MS    the local DNS server answers every query MS milliseconds late (default 0)
              --dns-ttl S       TTL of the local DNS server's records (default 3600; 0: the node caches
                                nothing, every message's checks query DNS: "cold DNS")""";

    public static final String DEFAULT_FROM = "bench-sender@bench-client.example.org";

    public SmtpBenchOptions {
        rcpts = List.copyOf(rcpts);
        checks = Set.copyOf(checks);
    }

    public boolean external() {
        return targetHost != null;
    }

    /** Parses the arguments after {@code bench smtp}. */
    public static SmtpBenchOptions parse(String[] args) throws BenchUsageException {
        int connections = 20;
        int messages = 5000;
        int size = 2048;
        int recipients = 1;
        int warmup = 0;
        String host = null;
        int port = 0;
        List<String> rcpts = new ArrayList<>();
        String from = DEFAULT_FROM;
        boolean keep = false;
        int mailboxes = 50;
        Set<BenchChecks.Group> checks = Set.of();
        boolean checksGiven = false;
        boolean signed = false;
        int dnsDelay = 0;
        long dnsTtl = 3600;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--connections" -> connections = BenchArgs.intIn(a, BenchArgs.value(args, ++i, a), 1, 10_000);
                case "--messages" -> messages = BenchArgs.intIn(a, BenchArgs.value(args, ++i, a), 1, 100_000_000);
                case "--size" -> size = parseSize(BenchArgs.value(args, ++i, a));
                case "--recipients" -> recipients = BenchArgs.intIn(a, BenchArgs.value(args, ++i, a), 1, 1000);
                case "--warmup" -> warmup = BenchArgs.intIn(a, BenchArgs.value(args, ++i, a), 0, 100_000_000);
                case "--from" -> from = address(a, BenchArgs.value(args, ++i, a));
                case "--keep-data" -> keep = true;
                case "--checks" -> {
                    checks = BenchChecks.parse(BenchArgs.value(args, ++i, a));
                    checksGiven = true;
                }
                case "--signed" -> signed = true;
                case "--dns-delay" -> dnsDelay = BenchArgs.intIn(a, BenchArgs.value(args, ++i, a), 0, 60_000);
                case "--dns-ttl" -> dnsTtl = BenchArgs.intIn(a, BenchArgs.value(args, ++i, a), 0, 86_400);
                case "--mailboxes" -> mailboxes = BenchArgs.intIn(a, BenchArgs.value(args, ++i, a), 1, 100_000);
                case "--rcpt" -> {
                    for (String r : BenchArgs.value(args, ++i, a).split(",")) {
                        rcpts.add(address(a, r.trim()));
                    }
                }
                case "--target" -> {
                    BenchArgs.HostPort t = BenchArgs.hostPort(a, BenchArgs.value(args, ++i, a));
                    host = t.host();
                    port = t.port();
                }
                default -> throw new BenchUsageException("unknown option '" + a + "'");
            }
        }
        if (host != null && rcpts.isEmpty()) {
            throw new BenchUsageException("--target needs --rcpt with at least one recipient address");
        }
        if (host == null && !rcpts.isEmpty()) {
            throw new BenchUsageException("--rcpt is only used with --target (the in-process node has its own accounts)");
        }
        if (host != null && recipients > rcpts.size()) {
            throw new BenchUsageException("--recipients " + recipients + " needs as many --rcpt addresses, got "
                    + rcpts.size());
        }
        if (host == null && recipients > mailboxes) {
            throw new BenchUsageException("--recipients " + recipients + " needs at least as many --mailboxes, got "
                    + mailboxes);
        }
        if (host != null && (!checks.isEmpty() || signed)) {
            throw new BenchUsageException("--checks and --signed are for the in-process node, not with --target");
        }
        if (host != null && (dnsDelay > 0 || dnsTtl != 3600)) {
            throw new BenchUsageException("--dns-delay and --dns-ttl are for the in-process node's DNS, not with --target");
        }
        if (checks.contains(BenchChecks.Group.AUTH)) {
            signed = true;
        }
        return new SmtpBenchOptions(connections, messages, size, host, port, recipients, rcpts, from, warmup, keep,
                host == null ? mailboxes : rcpts.size(), checks, signed, checksGiven || signed, dnsDelay, dnsTtl);
    }

    private static String address(String option, String v) throws BenchUsageException {
        int at = v.indexOf('@');
        if (at <= 0 || at == v.length() - 1 || v.chars().anyMatch(c -> c <= ' ' || c == '<' || c == '>')) {
            throw new BenchUsageException(option + " must be a mail address like user@example.com, got '" + v + "'");
        }
        return v;
    }

    /** {@code 2048}, {@code 2k}, {@code 1m} (binary multiples); at least 256 bytes for the headers. */
    static int parseSize(String v) throws BenchUsageException {
        String s = v.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (s.endsWith("kb") || s.endsWith("mb")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith("k")) {
            mult = 1024;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            mult = 1024 * 1024;
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s) * mult;
            if (n < 256 || n > 512L * 1024 * 1024) {
                throw new BenchUsageException("--size must be between 256 bytes and 512m, got '" + v + "'");
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new BenchUsageException("--size must be a number with an optional k or m suffix, got '" + v + "'");
        }
    }
}
