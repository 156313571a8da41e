package io.mailfleet.protocols.netty;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EventThrottleTest {

    @Test
    void oneReportPerIntervalCarryingTheCountOfTheEventsSinceTheLast() {
        AtomicLong now = new AtomicLong();
        EventThrottle t = new EventThrottle(Duration.ofSeconds(60), now::get);
        assertEquals(1, t.record(), "the first event is reported at once");
        long reported = 0;
        for (int i = 0; i < 10_000; i++) {
            now.addAndGet(Duration.ofMillis(1).toNanos());
            reported += t.record() > 0 ? 1 : 0;
        }
        assertEquals(0, reported, "10,000 events within the interval: no further report");
        now.addAndGet(Duration.ofSeconds(51).toNanos());
        assertEquals(10_001, t.record(), "the next report counts every event since the last one");
        assertEquals(0, t.record());
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        assertEquals(2, t.record());
    }
}
