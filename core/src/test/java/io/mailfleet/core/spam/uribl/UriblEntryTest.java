package io.mailfleet.core.spam.uribl;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code zone[=filter|&mask]:SYMBOL*weight} entries and the answers each one counts as a listing. */
class UriblEntryTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void aReplyFilterEntryListsTheAnswersInItsRange() throws Exception {
        UriblEntry e = UriblEntry.parse("DBL.Spamhaus.org=127.0.1.[2..99]:DBL_SPAM*2.5");
        assertEquals("dbl.spamhaus.org", e.zone());
        assertEquals("DBL_SPAM", e.symbol());
        assertEquals(2.5, e.weight());
        assertTrue(e.listedBy(ip("127.0.1.2")));
        assertTrue(e.listedBy(ip("127.0.1.99")));
        assertFalse(e.listedBy(ip("127.0.1.102")));
        assertFalse(e.listedBy(ip("127.0.1.255")), "DBL's 'IP queries prohibited'");
        assertEquals("dbl.spamhaus.org=127.0.1.[2..99]:DBL_SPAM*2.5", e.text());
    }

    @Test
    void aMaskEntryListsAnswersWithItsBitInTheLastOctet() throws Exception {
        UriblEntry black = UriblEntry.parse("multi.uribl.com&2:URIBL_BLACK*1.7");
        UriblEntry grey = UriblEntry.parse("multi.uribl.com&0x04:URIBL_GREY*0.4");
        assertTrue(black.listedBy(ip("127.0.0.2")));
        assertTrue(black.listedBy(ip("127.0.0.14")));
        assertTrue(grey.listedBy(ip("127.0.0.14")));
        assertFalse(black.listedBy(ip("127.0.0.4")));
        assertFalse(black.listedBy(ip("127.0.0.1")), "URIBL's 'query refused' bit has no symbol");
        assertFalse(black.listedBy(ip("127.0.1.2")), "only 127.0.0.x carries bits");
        assertFalse(black.listedBy(ip("10.0.0.2")));
    }

    @Test
    void withoutFilterAnyLoopbackAnswerListsAndTheWeightDefaultsToOne() throws Exception {
        UriblEntry e = UriblEntry.parse("uribl.example.net:MY_LIST");
        assertEquals(1.0, e.weight());
        assertTrue(e.listedBy(ip("127.0.0.9")));
        assertFalse(e.listedBy(ip("192.0.2.1")));
        assertFalse(e.listedBy(ip("::1")));
    }

    @Test
    void theDefaultListParsesAndAsksThreeZones() {
        UriblLists d = UriblLists.parse(UriblLists.DEFAULT, UriblLists.DEFAULT_IP_ZONES);
        assertEquals(List.of("dbl.spamhaus.org", "multi.surbl.org", "multi.uribl.com"), List.copyOf(d.zones()));
        assertEquals(9, d.of("dbl.spamhaus.org").size());
        assertEquals(java.util.Set.of("multi.surbl.org"), d.ipZones());
    }

    @Test
    void garbageIsRefusedWithWhatIsWrong() {
        for (String bad : List.of("dbl.spamhaus.org", "dbl.spamhaus.org:lower", "dbl.spamhaus.org=127.0.1:X",
                "dbl.spamhaus.org&0:X", "dbl.spamhaus.org&256:X", "dbl.spamhaus.org&x:X", "no_dots:X",
                "dbl.spamhaus.org:X*lots", "dbl.spamhaus.org:X*99999", "bad zone.org:X")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UriblEntry.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("URL DNSBL entry '" + bad + "'"), e.getMessage());
        }
    }
}
