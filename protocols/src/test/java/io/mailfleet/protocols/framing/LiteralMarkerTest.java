package io.mailfleet.protocols.framing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LiteralMarkerTest {

    private static final LiteralMarker.Syntax IMAP = LiteralMarker.Syntax.IMAP;
    private static final LiteralMarker.Syntax SIEVE = LiteralMarker.Syntax.MANAGESIEVE;

    @Test
    void synchronizingNonSynchronizingAndLiteral8() {
        assertEquals(new LiteralMarker(15, 42, false, false), LiteralMarker.find("a APPEND INBOX {42}", IMAP));
        assertEquals(new LiteralMarker(15, 42, true, false), LiteralMarker.find("a APPEND INBOX {42+}", IMAP));
        assertEquals(new LiteralMarker(21, 7, false, true), LiteralMarker.find("a APPEND INBOX UTF8 (~{7}", IMAP));
        assertEquals(new LiteralMarker(21, 7, true, true), LiteralMarker.find("a APPEND INBOX UTF8 (~{7+}", IMAP));
        assertEquals(new LiteralMarker(0, 0, false, false), LiteralMarker.find("{0}", IMAP));
    }

    @Test
    void onlyAtTheEndAndOnlyWithDigits() {
        assertNull(LiteralMarker.find("a LOGIN {5} x", IMAP));
        assertNull(LiteralMarker.find("a SEARCH {}", IMAP));
        assertNull(LiteralMarker.find("a SEARCH {+}", IMAP));
        assertNull(LiteralMarker.find("a SEARCH {1a}", IMAP));
        assertNull(LiteralMarker.find("a SEARCH 5}", IMAP));
        assertNull(LiteralMarker.find("a SEARCH {5++}", IMAP));
        assertNull(LiteralMarker.find("", IMAP));
        assertNull(LiteralMarker.find("}", IMAP));
        assertNull(LiteralMarker.find("{\u0665}", IMAP), "only ASCII digits");
    }

    @Test
    void hugeCounts() {
        assertEquals(Long.MAX_VALUE, LiteralMarker.find("x {9223372036854775807}", IMAP).octets());
        assertEquals(-1, LiteralMarker.find("x {9223372036854775808}", IMAP).octets(), "beyond 64 bits");
        assertEquals(-1, LiteralMarker.find("x {9999999999999999999+}", IMAP).octets());
        assertNull(LiteralMarker.find("x {10000000000000000000}", IMAP), "20 digits are no marker");
        assertEquals(9999999999L, LiteralMarker.find("PUTSCRIPT \"s\" {9999999999+}", SIEVE).octets());
        assertNull(LiteralMarker.find("PUTSCRIPT \"s\" {10000000000+}", SIEVE), "11 digits are no marker");
    }

    @Test
    void manageSieveHasNoLiteral8() {
        assertEquals(new LiteralMarker(3, 5, true, false), LiteralMarker.find("x ~{5+}", SIEVE));
    }
}
