package io.mailfleet.protocols.smtp.postscreen;

import java.net.InetAddress;
import java.time.Duration;

/**
 * Clients that passed a postscreen test recently and skip it (Postfix's postscreen cache). The server
 * gives a cluster-wide one: a pass on one node counts on every node. Both methods are called on event
 * loops and must not block.
 */
public interface PassCache {

    /** True when {@code client} passed {@code test} within that pass's time to live. */
    boolean passed(InetAddress client, PostscreenTest test);

    /** Remembers that {@code client} passed {@code test} now, for {@code ttl} (zero: not at all). */
    void remember(InetAddress client, PostscreenTest test, java.time.Duration ttl);

    /** A cache that remembers nothing. */
    PassCache NONE = new PassCache() {
        @Override
        public boolean passed(InetAddress client, PostscreenTest test) {
            return false;
        }

        @Override
        public void remember(InetAddress client, PostscreenTest test, Duration ttl) {
        }
    };
}
