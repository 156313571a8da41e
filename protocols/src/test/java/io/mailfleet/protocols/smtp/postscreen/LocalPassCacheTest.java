package io.mailfleet.protocols.smtp.postscreen;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-node pass cache on a hand-driven clock: passes expire, and a full cache stays bounded. */
class LocalPassCacheTest {

    private final AtomicLong now = new AtomicLong(1_000);

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void aPassLastsItsTimeToLive() throws Exception {
        LocalPassCache c = new LocalPassCache(Duration.ofNanos(100), 10, now::get);
        assertFalse(c.passed(ip("192.0.2.1")));
        c.remember(ip("192.0.2.1"));
        now.addAndGet(99);
        assertTrue(c.passed(ip("192.0.2.1")));
        assertFalse(c.passed(ip("192.0.2.2")));
        now.addAndGet(1);
        assertFalse(c.passed(ip("192.0.2.1")));
    }

    @Test
    void aFullCacheMakesRoomFromExpiredEntriesOnly() throws Exception {
        LocalPassCache c = new LocalPassCache(Duration.ofNanos(100), 2, now::get);
        c.remember(ip("192.0.2.1"));
        c.remember(ip("2001:db8::1"));
        c.remember(ip("192.0.2.3"));
        assertFalse(c.passed(ip("192.0.2.3")), "full of live entries: not remembered");
        assertTrue(c.passed(ip("192.0.2.1")));
        now.addAndGet(100);
        c.remember(ip("192.0.2.3"));
        assertTrue(c.passed(ip("192.0.2.3")), "expired entries made room");
    }

    @Test
    void aZeroTimeToLiveRemembersNothing() throws Exception {
        LocalPassCache c = new LocalPassCache(Duration.ZERO, 10, now::get);
        c.remember(ip("192.0.2.1"));
        assertFalse(c.passed(ip("192.0.2.1")));
    }
}
