package io.mailfleet.protocols.smtp.postscreen;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static io.mailfleet.protocols.smtp.postscreen.PostscreenTest.PREGREET;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-node pass cache on a hand-driven clock: passes expire, and a full cache stays bounded. */
class LocalPassCacheTest {

    private static final Duration TTL = Duration.ofNanos(100);

    private final AtomicLong now = new AtomicLong(1_000);

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void aPassLastsItsTimeToLive() throws Exception {
        LocalPassCache c = new LocalPassCache(10, now::get);
        assertFalse(c.passed(ip("192.0.2.1"), PREGREET));
        c.remember(ip("192.0.2.1"), PREGREET, TTL);
        now.addAndGet(99);
        assertTrue(c.passed(ip("192.0.2.1"), PREGREET));
        assertFalse(c.passed(ip("192.0.2.2"), PREGREET));
        assertFalse(c.passed(ip("192.0.2.1"), PostscreenTest.DNSBL), "each test has its own pass");
        now.addAndGet(1);
        assertFalse(c.passed(ip("192.0.2.1"), PREGREET));
    }

    @Test
    void aFullCacheMakesRoomFromExpiredEntriesOnly() throws Exception {
        LocalPassCache c = new LocalPassCache(2, now::get);
        c.remember(ip("192.0.2.1"), PREGREET, TTL);
        c.remember(ip("2001:db8::1"), PREGREET, TTL);
        c.remember(ip("192.0.2.3"), PREGREET, TTL);
        assertFalse(c.passed(ip("192.0.2.3"), PREGREET), "full of live entries: not remembered");
        assertTrue(c.passed(ip("192.0.2.1"), PREGREET));
        now.addAndGet(100);
        c.remember(ip("192.0.2.3"), PREGREET, TTL);
        assertTrue(c.passed(ip("192.0.2.3"), PREGREET), "expired entries made room");
    }

    @Test
    void aZeroTimeToLiveRemembersNothing() throws Exception {
        LocalPassCache c = new LocalPassCache(10, now::get);
        c.remember(ip("192.0.2.1"), PREGREET, Duration.ZERO);
        assertFalse(c.passed(ip("192.0.2.1"), PREGREET));
    }
}
