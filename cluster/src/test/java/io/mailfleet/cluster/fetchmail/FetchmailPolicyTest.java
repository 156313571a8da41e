package io.mailfleet.cluster.fetchmail;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FetchmailPolicyTest {

    @Test
    void failuresDoubleTheWaitUpToTheCap() {
        FetchmailPolicy p = new FetchmailPolicy(Duration.ofMinutes(5), Duration.ofHours(1));
        assertEquals(Duration.ofMinutes(5), p.delayAfter(0));
        assertEquals(Duration.ofMinutes(10), p.delayAfter(1));
        assertEquals(Duration.ofMinutes(20), p.delayAfter(2));
        assertEquals(Duration.ofMinutes(40), p.delayAfter(3));
        assertEquals(Duration.ofHours(1), p.delayAfter(4));
        assertEquals(Duration.ofHours(1), p.delayAfter(1_000_000));
    }

    @Test
    void theCapIsNeverShorterThanTheInterval() {
        FetchmailPolicy p = new FetchmailPolicy(Duration.ofHours(2), Duration.ofHours(1));
        assertEquals(Duration.ofHours(2), p.delayAfter(0));
        assertEquals(Duration.ofHours(2), p.delayAfter(5));
    }
}
