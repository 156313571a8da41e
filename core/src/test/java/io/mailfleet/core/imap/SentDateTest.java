package io.mailfleet.core.imap;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The Date: header's own calendar date (RFC 3501 §6.4.4), whatever its time zone. */
class SentDateTest {

    @Test
    void theWrittenDateDisregardingTimeAndZone() {
        assertEquals(LocalDate.of(2030, 1, 1), SentDate.of("Tue, 1 Jan 2030 23:30:00 -1000"));
        assertEquals(LocalDate.of(2030, 1, 2), SentDate.of("2 Jan 2030 00:10:00 +1400"));
        assertEquals(LocalDate.of(2007, 3, 24), SentDate.of("(comment) Sat, 24 MAR 2007 10:00 GMT"));
        assertEquals(LocalDate.of(1999, 12, 31), SentDate.of("Fri, 31 Dec 99 23:59:59 +0000"));
    }

    @Test
    void nothingToReadIsNull() {
        assertNull(SentDate.of(null));
        assertNull(SentDate.of("yesterday"));
        assertNull(SentDate.of("31 Feb 2030 10:00 +0000"));
    }
}
