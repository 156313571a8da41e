package io.mailfleet.protocols.smtp;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live connections of each client address on one listener of this node, for a per-client limit
 * like Postfix's {@code smtpd_client_connection_count_limit} (which anvil also counts per host). The
 * counts only live as long as the connections, so they are node-local by nature.
 */
final class ClientConnections {

    private final int limit;
    private final ConcurrentHashMap<InetAddress, Integer> counts = new ConcurrentHashMap<>();

    /** @param limit connections allowed per client address at once; 0 = no limit */
    ClientConnections(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("the client connection limit must be 0 (none) or more, got " + limit);
        }
        this.limit = limit;
    }

    int limit() {
        return limit;
    }

    /** Counts one more connection of {@code client}; false (and nothing counted) when it already has {@link #limit}. */
    boolean tryOpen(InetAddress client) {
        if (limit == 0) {
            return true;
        }
        boolean[] counted = {false};
        counts.compute(client, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= limit) {
                return n;
            }
            counted[0] = true;
            return now + 1;
        });
        return counted[0];
    }

    /** Forgets one connection of {@code client} counted by {@link #tryOpen}. */
    void close(InetAddress client) {
        if (limit > 0) {
            counts.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Connections of {@code client} counted now. */
    int open(InetAddress client) {
        return counts.getOrDefault(client, 0);
    }
}
