package io.mailfleet.protocols.netty;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connection limits of one node, shared by all its mail listeners: the node-wide connection
 * cap and the per-address TLS handshake count live here; each listener gets its own pre-login count
 * through {@link #forListener}. Counts live only as long as the connections, so they are node-local.
 */
public final class ConnectionAdmission {

    private static final ConnectionAdmission UNLIMITED = new ConnectionAdmission(ConnectionLimits.NONE);

    private final ConnectionLimits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final ClientConnections handshakes;

    public ConnectionAdmission(ConnectionLimits limits) {
        this.limits = limits;
        this.handshakes = new ClientConnections(limits.handshakesPerAddress());
    }

    /** No node-wide limit (listener policies still apply their own pre-login limit). */
    public static ConnectionAdmission unlimited() {
        return UNLIMITED;
    }

    public ConnectionLimits limits() {
        return limits;
    }

    /** The admission of one listener, with its own per-address pre-login count. */
    public ListenerAdmission forListener(ListenerPolicy policy) {
        int preLogin = policy.preLoginPerAddress() == ListenerPolicy.NODE_DEFAULT
                ? limits.preLoginPerAddress() : policy.preLoginPerAddress();
        return new ListenerAdmission(this, policy, new ClientConnections(preLogin));
    }

    /** Connections counted against the node-wide cap now. */
    public int open() {
        return open.get();
    }

    boolean tryOpen() {
        int max = limits.maxConnections();
        while (true) {
            int now = open.get();
            if (max > 0 && now >= max) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void closed() {
        open.decrementAndGet();
    }

    ClientConnections handshakes() {
        return handshakes;
    }
}
