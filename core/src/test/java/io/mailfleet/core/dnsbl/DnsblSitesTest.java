package io.mailfleet.core.dnsbl;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The postscreen_dnsbl_sites syntax, reply filters and query names. */
class DnsblSitesTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void parsesDockerMailserversListWithFiltersAndWeights() {
        DnsblSites s = DnsblSites.parse(DnsblSites.DOCKER_MAILSERVER);
        assertEquals(9, s.sites().size());
        DnsblSite zen = s.sites().get(0);
        assertEquals("zen.spamhaus.org", zen.domain());
        assertEquals(3, zen.weight());
        assertEquals("127.0.0.[2..11]", zen.filter().text());
        assertEquals(1, s.sites().get(4).weight());
        assertNull(s.sites().get(4).filter());
        assertEquals(-4, s.sites().get(8).weight());
        assertEquals(List.of("zen.spamhaus.org", "bl.mailspike.net", "b.barracudacentral.org", "bl.spameatingmonkey.net",
                "dnsbl.sorbs.net", "psbl.surriel.com", "list.dnswl.org"), List.copyOf(s.domains()));
        assertEquals(DnsblSites.DOCKER_MAILSERVER, s.toString());
    }

    @Test
    void commasAndWhiteSpaceSeparateEntries() {
        DnsblSites s = DnsblSites.parse(" a.example*2,b.example ,\n c.example=127.0.0.2 ");
        assertEquals(List.of("a.example*2", "b.example", "c.example=127.0.0.2"),
                s.sites().stream().map(DnsblSite::text).toList());
        assertTrue(DnsblSites.parse("  ").isEmpty());
    }

    @Test
    void filtersMatchNumbersRangesAndLists() throws Exception {
        ReplyFilter f = ReplyFilter.parse("127.0.[0..255].[1;3;5..7]");
        assertTrue(f.matches(ip("127.0.9.1")));
        assertTrue(f.matches(ip("127.0.255.6")));
        assertFalse(f.matches(ip("127.0.9.2")));
        assertFalse(f.matches(ip("127.1.9.1")));
        assertFalse(f.matches(ip("::1")));
        ReplyFilter zen = ReplyFilter.parse("127.0.0.[2..11]");
        assertTrue(zen.matches(ip("127.0.0.2")) && zen.matches(ip("127.0.0.11")));
        assertFalse(zen.matches(ip("127.0.0.1")) || zen.matches(ip("127.255.255.254")));
    }

    @Test
    void withoutFilterOnlyLoopbackRangeAnswersList() throws Exception {
        DnsblSite plain = DnsblSite.parse("bl.example");
        assertTrue(plain.listedBy(ip("127.0.0.2")));
        assertFalse(plain.listedBy(ip("192.0.2.1")), "outside 127/8: an error of the list, not a listing");
    }

    @Test
    void badEntriesAreRefusedWithTheEntry() {
        for (String bad : new String[]{"zen.spamhaus.org=127.0.0", "zen.spamhaus.org=127.0.0.256", "x.example*two",
                "x.example=127.0.0.[5..2]", "nodot", "bad..example", "x.example=127.0.0.[]", "-x.example"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DnsblSites.parse(bad), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void queryNamesReverseOctetsAndIpv6Nibbles() throws Exception {
        assertEquals("2.0.0.127.zen.example", DnsblNames.query(ip("127.0.0.2"), "zen.example"));
        assertEquals("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.example",
                DnsblNames.query(ip("2001:db8::1"), "bl.example"));
        assertEquals("7.2.0.192.bl.example", DnsblNames.query(
                InetAddress.getByAddress(new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 7}),
                "bl.example"));
    }
}
