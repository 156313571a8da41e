package io.mailfleet.core.ban;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpNetworkTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void ipv4AddressesAndNetworksAreCanonical() throws Exception {
        assertEquals("192.0.2.7", IpNetwork.parse(" 192.0.2.7 ").toString());
        assertEquals("192.0.2.0/24", IpNetwork.parse("192.0.2.77/24").toString());
        assertEquals("10.0.0.0/8", IpNetwork.parse("10.200.3.4/8").toString());
        assertEquals("0.0.0.0/0", IpNetwork.parse("1.2.3.4/0").toString());
        assertEquals("192.0.2.7", IpNetwork.parse("192.0.2.7/32").toString());
        assertEquals("192.0.2.0/25", IpNetwork.parse("192.0.2.100/25").toString());
        assertEquals("192.0.2.128/25", IpNetwork.parse("192.0.2.200/25").toString());
    }

    @Test
    void ipv6IsPrintedPerRfc5952() {
        assertEquals("2001:db8::1", IpNetwork.parse("2001:0DB8:0:0:0:0:0:1").toString());
        assertEquals("2001:db8::/64", IpNetwork.parse("2001:db8::dead:beef/64").toString());
        assertEquals("::1", IpNetwork.parse("::1").toString());
        assertEquals("::/0", IpNetwork.parse("::/0").toString());
        assertEquals("2001:db8:0:1:1:1:1:1", IpNetwork.parse("2001:db8:0:1:1:1:1:1").toString());
        assertEquals("2001:0:0:1::1", IpNetwork.parse("2001:0:0:1:0:0:0:1").toString());
        assertEquals("fe80::/10", IpNetwork.parse("fe80::1/10").toString());
    }

    @Test
    void containmentV4AndV6() throws Exception {
        IpNetwork n24 = IpNetwork.parse("192.0.2.0/24");
        assertTrue(n24.contains(ip("192.0.2.255")));
        assertFalse(n24.contains(ip("192.0.3.0")));
        assertFalse(n24.contains(ip("2001:db8::1")));
        IpNetwork odd = IpNetwork.parse("192.0.2.64/27");
        assertTrue(odd.contains(ip("192.0.2.95")));
        assertFalse(odd.contains(ip("192.0.2.96")));
        IpNetwork v6 = IpNetwork.parse("2001:db8:1:2::/64");
        assertTrue(v6.contains(ip("2001:db8:1:2:ffff:ffff:ffff:ffff")));
        assertFalse(v6.contains(ip("2001:db8:1:3::")));
        assertFalse(v6.contains(ip("192.0.2.1")));
        IpNetwork v6odd = IpNetwork.parse("2001:db8::/33");
        assertTrue(v6odd.contains(ip("2001:db8:7fff::1")));
        assertFalse(v6odd.contains(ip("2001:db8:8000::1")));
        assertTrue(n24.contains(IpNetwork.parse("192.0.2.64/26")));
        assertFalse(IpNetwork.parse("192.0.2.64/26").contains(n24));
    }

    @Test
    void bucketsAreV4Slash24AndV6Slash64() throws Exception {
        assertEquals("192.0.2.0/24", IpNetwork.bucketOf(ip("192.0.2.9")));
        assertEquals("192.0.2.0/24", IpNetwork.parse("192.0.2.64/26").bucket());
        assertEquals("10.0.0.0/24", IpNetwork.parse("10.9.9.9/8").bucket());
        assertEquals("2001:db8:1:2::/64", IpNetwork.bucketOf(ip("2001:db8:1:2:3:4:5:6")));
        assertEquals("2001:db8::/64", IpNetwork.parse("2001:db8::/32").bucket());
    }

    @Test
    void badInputNamesTheValueAndNeverResolvesNames() {
        for (String bad : new String[]{"", "example.com", "localhost", "dead", "1.2.3", "256.1.1.1", "1.2.3.4/33",
                "1.2.3.4/-1", "1.2.3.4/", "::1/129", "fe80::1%eth0", "1.2.3.4/abc", "01.2.3.4x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpNetwork.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> IpNetwork.parse(null));
    }

    @Test
    void ipv4MappedIpv6IsTheIpv4Address() {
        assertEquals("192.0.2.1", IpNetwork.parse("::ffff:192.0.2.1").toString());
    }
}
