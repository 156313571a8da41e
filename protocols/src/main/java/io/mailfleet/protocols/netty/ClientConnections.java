package io.mailfleet.protocols.netty;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live connections per client address, with a limit (pre-login connections of one listener, TLS
 * handshakes of the node; Postfix's {@code smtpd_client_connection_count_limit} is the same idea).
 * The counts only live as long as the connections, so they are node-local by nature.
 */
public final class ClientConnections {

    private final int limit;
    private final ConcurrentHashMap<InetAddress, Integer> counts = new ConcurrentHashMap<>();

    /** @param limit connections allowed per client address at once; 0 = no limit */
    public ClientConnections(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("the client connection limit must be 0 (none) or more, got " + limit);
        }
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }

    /** Counts one more connection of {@code client}; false (and nothing counted) when it already has {@link #limit}. */
    public boolean tryOpen(InetAddress client) {
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
    public void close(InetAddress client) {
        if (limit > 0) {
            counts.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Connections of {@code client} counted now. */
    public int open(InetAddress client) {
        return counts.getOrDefault(client, 0);
    }
}
