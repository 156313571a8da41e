package io.mailfleet.protocols.netty;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalLong;

/**
 * The default node-wide connection cap, derived from the process's file descriptor limit so that
 * connections alone can never exhaust it: the journal, blobs, cluster transport, management API
 * and log files keep a reserve.
 */
public final class DescriptorBudget {

    /** Used when the descriptor limit cannot be read (not a Unix JVM). */
    public static final int FALLBACK_MAX_CONNECTIONS = 10_000;
    static final int MIN_RESERVE = 256;
    static final int MIN_CONNECTIONS = 64;

    private DescriptorBudget() {
    }

    /** The process's maximum number of open file descriptors, when the JVM tells it. */
    public static OptionalLong maxDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long max = unix.getMaxFileDescriptorCount();
            return max > 0 ? OptionalLong.of(max) : OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** The default cap: the descriptor limit minus a fifth of it (at least 256) for everything else. */
    public static int defaultMaxConnections() {
        return capFor(maxDescriptors());
    }

    /** The cap for a given descriptor limit (the fallback when it is unknown). */
    public static int capFor(OptionalLong maxDescriptors) {
        if (maxDescriptors.isEmpty()) {
            return FALLBACK_MAX_CONNECTIONS;
        }
        long max = maxDescriptors.getAsLong();
        long cap = max - Math.max(MIN_RESERVE, max / 5);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(MIN_CONNECTIONS, cap));
    }
}
