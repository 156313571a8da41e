package io.mailfleet.core.dnsbl;

import io.mailfleet.core.dns.AsyncDnsResolver;
import io.mailfleet.core.dns.LoopbackDnsServer;
import io.mailfleet.core.dns.ResolverSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Scoring against zones served by a real DNS server on loopback: listed, unlisted, allow-listed,
 * out-of-range, SERVFAIL and silent (time-out) answers, IPv6 nibble names, and the resolver's cache.
 */
class DnsblEvaluatorTest {

    private LoopbackDnsServer server;
    private AsyncDnsResolver dns;

    @BeforeEach
    void start() throws Exception {
        server = new LoopbackDnsServer();
        dns = new AsyncDnsResolver(ResolverSettings.of(server.address(), Duration.ofMillis(500)));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private void a(String name, String ip) throws Exception {
        server.add(new ARecord(Name.fromString(name + "."), DClass.IN, 300, InetAddress.getByName(ip)));
    }

    private DnsblVerdict evaluate(String sites, String client) throws Exception {
        return new DnsblEvaluator(dns, DnsblSites.parse(sites)).evaluate(InetAddress.getByName(client))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void weightsOfMatchingSitesAddUpAndTheHeaviestListNamesTheBlock() throws Exception {
        a("2.2.0.192.zen.test", "127.0.0.4");
        a("2.2.0.192.bl.test", "127.0.0.2");
        a("2.2.0.192.allow.test", "127.0.9.1");
        DnsblVerdict v = evaluate("bl.test zen.test=127.0.0.[2..11]*3 allow.test=127.0.[0..255].1*-2", "192.0.2.2");
        assertEquals(2, v.score());
        assertEquals("zen.test", v.listedBy());
        assertEquals(List.of("bl.test", "zen.test=127.0.0.[2..11]*3", "allow.test=127.0.[0..255].1*-2"), v.hits());
        assertEquals(true, v.blocked(2));
        assertEquals(false, v.blocked(3));
    }

    @Test
    void unlistedAndOutOfRangeAnswersCountNothing() throws Exception {
        a("3.2.0.192.zen.test", "127.255.255.254"); // Spamhaus's "query refused" code
        a("3.2.0.192.bl.test", "10.0.0.1");
        DnsblVerdict v = evaluate("zen.test=127.0.0.[2..11]*3 bl.test other.test", "192.0.2.3");
        assertEquals(DnsblVerdict.CLEAN, v);
        assertNull(v.listedBy());
    }

    @Test
    void anAllowListAloneGivesANegativeScoreAndNoBlockName() throws Exception {
        a("4.2.0.192.allow.test", "127.0.5.3");
        DnsblVerdict v = evaluate("allow.test=127.0.[0..255].[2..3]*-4 zen.test*3", "192.0.2.4");
        assertEquals(-4, v.score());
        assertNull(v.listedBy());
    }

    @Test
    void servfailAndTimeoutsAreNotListedAndTheOtherZonesStillCount() throws Exception {
        server.servfail("5.2.0.192.broken.test");
        server.silent("5.2.0.192.slow.test");
        a("5.2.0.192.zen.test", "127.0.0.2");
        DnsblVerdict v = evaluate("broken.test*5 slow.test*5 zen.test*2", "192.0.2.5");
        assertEquals(2, v.score());
        assertEquals("zen.test", v.listedBy());
    }

    @Test
    void ipv6ClientsAreAskedByNibblesAndOneZoneIsAskedOnceForSeveralEntries() throws Exception {
        a("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.six.test", "127.0.0.3");
        int before = server.queries.get();
        DnsblVerdict v = evaluate("six.test=127.0.0.2*-1 six.test=127.0.0.3*4", "2001:db8::1");
        assertEquals(4, v.score());
        assertEquals(1, server.queries.get() - before);
        evaluate("six.test=127.0.0.2*-1 six.test=127.0.0.3*4", "2001:db8::1");
        assertEquals(1, server.queries.get() - before, "the second evaluation is answered from the resolver's cache");
    }
}
