package io.mailfleet.server;

import io.mailfleet.protocols.smtp.postscreen.PostscreenTest;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The keys of the cluster-wide postscreen cache: IPv6 pregreet passes per /64, everything else per address. */
class ClusterPostscreenPassesTest {

    @Test
    void anIpv6PregreetPassCoversItsSlash64AndADnsblPassOnlyItsAddress() throws Exception {
        InetAddress a = InetAddress.getByName("2001:db8:1:2::10");
        InetAddress b = InetAddress.getByName("2001:db8:1:2:ffff::99");
        assertEquals("pregreet 2001:db8:1:2::/64", ClusterPostscreenPasses.key(a, PostscreenTest.PREGREET));
        assertEquals(ClusterPostscreenPasses.key(a, PostscreenTest.PREGREET),
                ClusterPostscreenPasses.key(b, PostscreenTest.PREGREET), "the same /64 is one client");
        assertEquals("pregreet 2001:db8:1:3::/64",
                ClusterPostscreenPasses.key(InetAddress.getByName("2001:db8:1:3::10"), PostscreenTest.PREGREET));
        assertEquals("dnsbl 2001:db8:1:2:0:0:0:10", ClusterPostscreenPasses.key(a, PostscreenTest.DNSBL));
        assertEquals("pregreet 192.0.2.7",
                ClusterPostscreenPasses.key(InetAddress.getByName("192.0.2.7"), PostscreenTest.PREGREET));
        assertEquals("pregreet 192.0.2.7",
                ClusterPostscreenPasses.key(InetAddress.getByName("::ffff:192.0.2.7"), PostscreenTest.PREGREET),
                "an IPv4-mapped address is its IPv4 address");
    }
}
