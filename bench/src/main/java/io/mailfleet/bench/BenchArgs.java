package io.mailfleet.bench;

/** Option values of the benchmark commands, read with errors that name the option. */
final class BenchArgs {

    private BenchArgs() {
    }

    /** The value after {@code option} at {@code args[i]}. */
    static String value(String[] args, int i, String option) throws BenchUsageException {
        if (i >= args.length) {
            throw new BenchUsageException(option + " needs a value");
        }
        return args[i];
    }

    /** {@code v} as a whole number in {@code min..max}. */
    static int intIn(String option, String v, int min, int max) throws BenchUsageException {
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw new BenchUsageException(option + " must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BenchUsageException(option + " must be a whole number, got '" + v + "'");
        }
    }

    /** A {@code host:port} option value. */
    record HostPort(String host, int port) {
    }

    /** {@code host:port} or {@code [v6]:port}. */
    static HostPort hostPort(String option, String v) throws BenchUsageException {
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
            throw new BenchUsageException(option + " must be host:port, got '" + v + "'");
        }
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new HostPort(host, intIn(option + " port", v.substring(colon + 1), 1, 65535));
    }
}
