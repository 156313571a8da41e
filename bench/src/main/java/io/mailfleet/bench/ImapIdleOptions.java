package io.mailfleet.bench;

import java.util.Arrays;
import java.util.Set;

/**
 * Options of {@code bench imap --idle K --target HOST:PORT}: park K IDLE connections on a node running in
 * another process, so client and server each hold one end of every connection (one JVM holding both runs
 * out of file descriptors before 10,000).
 */
record ImapIdleOptions(int idle, String host, int port, String password, String accountPrefix,
                       String accountDomain, int accounts, int holdSeconds, int parallel, String smtpHost,
                       int smtpPort, long serverPid) {

    static final String USAGE = """
            usage: mailfleet bench imap --idle K --target HOST:PORT --password P [options]
              parks K connections in IDLE on a node running in another process (./mailfleet serve)
              --idle K              connections that log in, SELECT INBOX and enter IDLE (1..100000)
              --target HOST:PORT    the node's IMAP port (plain IMAP, no TLS)
              --password P          password of every account
              --account-prefix S    accounts are S1@D .. SN@D (default bench)
              --account-domain D    domain of the accounts (default example.com)
              --accounts N          accounts the connections are spread over, round robin
                                    (default K/10 rounded up: the default per-user-and-IP limit is 10)
              --hold S              seconds to keep the connections parked once all are open (default 30)
              --parallel N          connections being opened at once (default 8)
              --smtp HOST:PORT      during the hold, deliver one message to S1@D over SMTP and time until
                                    its IDLE connections see * N EXISTS
              --server-pid PID      measure the node's heap with jcmd (GC.run, then GC.heap_info) before
                                    and with the connections (same user, same machine)""";

    /** Options that only make sense against an external node; any of them selects this mode. */
    private static final Set<String> EXTERNAL_ONLY = Set.of("--target", "--password", "--account-prefix",
            "--account-domain", "--accounts", "--hold", "--parallel", "--smtp", "--server-pid");

    /** True when the arguments ask for the external IDLE run rather than the in-process benchmark. */
    static boolean requested(String[] args) {
        return Arrays.stream(args).anyMatch(EXTERNAL_ONLY::contains);
    }

    /** The address of account {@code n} (1-based). */
    String account(int n) {
        return accountPrefix + n + "@" + accountDomain;
    }

    /** The account connection {@code i} (0-based) logs in to: round robin, so each holds at most K/N rounded up. */
    String accountOfConnection(int i) {
        return account(i % accounts + 1);
    }

    boolean measuresHeap() {
        return serverPid > 0;
    }

    boolean checksDelivery() {
        return smtpHost != null;
    }

    /** Parses the arguments after {@code bench imap}. */
    static ImapIdleOptions parse(String[] args) throws BenchUsageException {
        Integer idle = null;
        BenchArgs.HostPort target = null;
        String password = null;
        String prefix = "bench";
        String domain = "example.com";
        Integer accounts = null;
        int hold = 30;
        int parallel = 8;
        BenchArgs.HostPort smtp = null;
        long pid = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--idle" -> idle = BenchArgs.intIn(a, BenchArgs.value(args, ++i, a), 1, 100_000);
                case "--target" -> target = BenchArgs.hostPort(a, BenchArgs.value(args, ++i, a));
                case "--password" -> password = BenchArgs.value(args, ++i, a);
                case "--account-prefix" -> prefix = localPart(a, BenchArgs.value(args, ++i, a));
                case "--account-domain" -> domain = domain(a, BenchArgs.value(args, ++i, a));
                case "--accounts" -> accounts = BenchArgs.intIn(a, BenchArgs.value(args, ++i, a), 1, 100_000);
                case "--hold" -> hold = BenchArgs.intIn(a, BenchArgs.value(args, ++i, a), 0, 86_400);
                case "--parallel" -> parallel = BenchArgs.intIn(a, BenchArgs.value(args, ++i, a), 1, 256);
                case "--smtp" -> smtp = BenchArgs.hostPort(a, BenchArgs.value(args, ++i, a));
                case "--server-pid" -> pid = BenchArgs.intIn(a, BenchArgs.value(args, ++i, a), 1, Integer.MAX_VALUE);
                case "--clients", "--seconds", "--warmup", "--messages", "--size" -> throw new BenchUsageException(a
                        + " belongs to the in-process mixed load; with --target only the IDLE phase runs");
                default -> throw new BenchUsageException("unknown option '" + a + "'");
            }
        }
        if (target == null) {
            throw new BenchUsageException("--target HOST:PORT (the node's IMAP port) is required with "
                    + "--password, --accounts, --hold, --smtp and --server-pid");
        }
        if (idle == null) {
            throw new BenchUsageException("--target needs --idle K, the number of connections to park");
        }
        if (password == null || password.isEmpty()) {
            throw new BenchUsageException("--target needs --password, the password of every account");
        }
        if (password.chars().anyMatch(c -> c < ' ' || c == '"' || c == '\\' || c > '~')) {
            throw new BenchUsageException("--password must be printable ASCII without quotes or backslashes "
                    + "(it is sent as an IMAP quoted string)");
        }
        int n = accounts != null ? accounts : (idle + 9) / 10;
        if (n > idle) {
            throw new BenchUsageException("--accounts " + n + " is more than --idle " + idle
                    + " (each account gets at least one connection)");
        }
        return new ImapIdleOptions(idle, target.host(), target.port(), password, prefix, domain, n, hold,
                parallel, smtp == null ? null : smtp.host(), smtp == null ? 0 : smtp.port(), pid);
    }

    private static String localPart(String option, String v) throws BenchUsageException {
        if (v.isEmpty() || v.chars().anyMatch(c -> c <= ' ' || c == '@' || c == '"' || c == '\\' || c > '~')) {
            throw new BenchUsageException(option + " must be the start of a mail address's local part "
                    + "(no '@', spaces or quotes), got '" + v + "'");
        }
        return v;
    }

    private static String domain(String option, String v) throws BenchUsageException {
        if (!v.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+")) {
            throw new BenchUsageException(option + " must be a domain name like example.com, got '" + v + "'");
        }
        return v;
    }
}
