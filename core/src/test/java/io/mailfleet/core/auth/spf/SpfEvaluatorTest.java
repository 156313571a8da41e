package io.mailfleet.core.auth.spf;

import io.mailfleet.core.dns.AsyncDnsResolver;
import io.mailfleet.core.dns.LoopbackDnsServer;
import io.mailfleet.core.dns.ResolverSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * SPF checks the conformance suite does not spell out, and the bad input of the issue: malformed
 * records, include loops, the 11th DNS term, DNS timeouts and the void lookup limit must each give
 * the RFC's result as a verdict, never an exception.
 */
class SpfEvaluatorTest {

    private LoopbackDnsServer server;
    private SpfEvaluator spf;

    @BeforeEach
    void start() throws Exception {
        server = new LoopbackDnsServer();
        AsyncDnsResolver dns = new AsyncDnsResolver(ResolverSettings.of(server.address(), Duration.ofMillis(500)));
        spf = new SpfEvaluator(dns, "mx.receiver.test", "%{i} is not allowed for %{d}",
                Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private LoopbackDnsServer txt(String name, String text) {
        return server.add(new TXTRecord(Name.fromConstantString(name + "."), DClass.IN, 60, text));
    }

    private void a(String name, String ip) throws Exception {
        server.add(new ARecord(Name.fromConstantString(name + "."), DClass.IN, 60, InetAddress.getByName(ip)));
    }

    private SpfVerdict mailFrom(String ip, String from) throws Exception {
        return spf.checkMailFrom(InetAddress.getByName(ip), from, "helo.client.test")
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void strictDomainFailsWithTheDefaultExplanation() throws Exception {
        txt("strict.test", "v=spf1 -all");
        SpfVerdict v = mailFrom("192.0.2.10", "x@strict.test");
        assertEquals(SpfResult.FAIL, v.result());
        assertEquals("192.0.2.10 is not allowed for strict.test", v.explanation());
    }

    @Test
    void expExplanationExpandsExplanationOnlyMacros() throws Exception {
        txt("exp.test", "v=spf1 -all exp=why.exp.test");
        txt("why.exp.test", "%{l} from %{c} refused by %{r} at %{t} (%{S})");
        SpfVerdict v = mailFrom("2001:db8::7", "Jo.Smith@exp.test");
        assertEquals(SpfResult.FAIL, v.result());
        assertEquals("Jo.Smith from 2001:db8::7 refused by mx.receiver.test at 1700000000 (Jo.Smith%40exp.test)",
                v.explanation());
    }

    @Test
    void ipv6ClientsMatchIp6AndAaaa() throws Exception {
        txt("six.test", "v=spf1 ip6:2001:db8:1::/48 a:v6host.six.test//64 -all");
        txt("six-bad.test", "v=spf1 a:v6host.six.test/64 -all");
        server.add(new AAAARecord(Name.fromConstantString("v6host.six.test."), DClass.IN, 60,
                InetAddress.getByName("2001:db8:2::1")));
        assertEquals(SpfResult.PASS, mailFrom("2001:db8:1:ff::1", "a@six.test").result());
        assertEquals(SpfResult.PASS, mailFrom("2001:db8:2::abcd", "a@six.test").result());
        assertEquals(SpfResult.FAIL, mailFrom("2001:db8:3::1", "a@six.test").result());
        assertEquals(SpfResult.FAIL, mailFrom("192.0.2.1", "a@six.test").result());
        assertEquals(SpfResult.PERMERROR, mailFrom("2001:db8:2::abcd", "a@six-bad.test").result(),
                "a single slash is the IPv4 prefix, at most 32");
    }

    @Test
    void heloIdentityIsCheckedAndANonFqdnHeloGivesNone() throws Exception {
        txt("mail.sender.test", "v=spf1 a -all");
        a("mail.sender.test", "192.0.2.20");
        InetAddress good = InetAddress.getByName("192.0.2.20");
        InetAddress bad = InetAddress.getByName("192.0.2.21");
        assertEquals(SpfResult.PASS, spf.checkHelo(good, "mail.sender.test").toCompletableFuture().get().result());
        assertEquals(SpfResult.FAIL, spf.checkHelo(bad, "mail.sender.test").toCompletableFuture().get().result());
        assertEquals(SpfResult.NONE, spf.checkHelo(bad, "localhost").toCompletableFuture().get().result());
        assertEquals(SpfResult.NONE, spf.checkHelo(bad, "[192.0.2.21]").toCompletableFuture().get().result());
        assertEquals(SpfResult.FAIL, spf.checkMailFrom(bad, "", "mail.sender.test").toCompletableFuture().get().result(),
                "the null sender is checked as postmaster@HELO");
    }

    @Test
    void malformedRecordsArePermerror() throws Exception {
        String[] bad = {
            "v=spf1 a: -all", "v=spf1 ip4:192.0.2.1/33", "v=spf1 ip4:192.0.2 -all", "v=spf1 ip6:zz::1",
            "v=spf1 frobnicate -all", "v=spf1 include", "v=spf1 a:%{z}.example.com", "v=spf1 a:%{d0}.example.com",
            "v=spf1 a:foo%.example.com", "v=spf1 exists:%{i", "v=spf1 redirect=a.test redirect=b.test",
            "v=spf1 exp=a.test exp=b.test -all", "v=spf1 -all\tip4:192.0.2.1", "v=spf1 a:example.123",
            "v=spf1 all:foo", "v=spf1 mx/0/64", "v=spf1 ptr/24",
        };
        for (int i = 0; i < bad.length; i++) {
            txt("bad" + i + ".test", bad[i]);
            SpfVerdict v = mailFrom("192.0.2.1", "x@bad" + i + ".test");
            assertEquals(SpfResult.PERMERROR, v.result(), bad[i] + " → " + v);
        }
    }

    @Test
    void twoSpfRecordsArePermerrorAndOtherTxtIsIgnored() throws Exception {
        txt("two.test", "v=spf1 +all");
        txt("two.test", "v=spf1 -all");
        txt("one.test", "google-site-verification=abc");
        txt("one.test", "v=spf1 ip4:192.0.2.0/24 -all");
        assertEquals(SpfResult.PERMERROR, mailFrom("192.0.2.1", "x@two.test").result());
        assertEquals(SpfResult.PASS, mailFrom("192.0.2.1", "x@one.test").result());
        assertEquals(SpfResult.NONE, mailFrom("192.0.2.1", "x@nothing.test").result());
    }

    @Test
    void loopingIncludesArePermerror() throws Exception {
        txt("loop-a.test", "v=spf1 include:loop-b.test -all");
        txt("loop-b.test", "v=spf1 include:loop-a.test -all");
        txt("self.test", "v=spf1 redirect=self.test");
        assertEquals(SpfResult.PERMERROR, mailFrom("192.0.2.1", "x@loop-a.test").result());
        assertEquals(SpfResult.PERMERROR, mailFrom("192.0.2.1", "x@self.test").result());
    }

    @Test
    void theEleventhDnsTermIsPermerrorAndTheTenthIsFine() throws Exception {
        a("host.limits.test", "192.0.2.99");
        txt("ten.test", "v=spf1" + " a:host.limits.test".repeat(10) + " ip4:192.0.2.1 -all");
        txt("eleven.test", "v=spf1" + " a:host.limits.test".repeat(11) + " ip4:192.0.2.1 -all");
        assertEquals(SpfResult.PASS, mailFrom("192.0.2.1", "x@ten.test").result());
        SpfVerdict v = mailFrom("192.0.2.1", "x@eleven.test");
        assertEquals(SpfResult.PERMERROR, v.result());
        int before = server.queries.get();
        mailFrom("192.0.2.1", "x@eleven.test");
        assertEquals(0, server.queries.get() - before, "the second check is answered from the cache");
    }

    @Test
    void moreThanTenMxNamesIsPermerror() throws Exception {
        txt("mxs.test", "v=spf1 mx -all");
        for (int i = 0; i < 11; i++) {
            server.add(new MXRecord(Name.fromConstantString("mxs.test."), DClass.IN, 60, i,
                    Name.fromConstantString("mx" + i + ".mxs.test.")));
        }
        assertEquals(SpfResult.PERMERROR, mailFrom("192.0.2.1", "x@mxs.test").result());
    }

    @Test
    void dnsTimeoutsAndServfailAreTemperror() throws Exception {
        server.silent("silent.test");
        server.servfail("servfail.test");
        txt("inc-silent.test", "v=spf1 include:silent.test -all");
        txt("a-silent.test", "v=spf1 a:silent.test -all");
        assertEquals(SpfResult.TEMPERROR, mailFrom("192.0.2.1", "x@silent.test").result());
        assertEquals(SpfResult.TEMPERROR, mailFrom("192.0.2.1", "x@servfail.test").result());
        assertEquals(SpfResult.TEMPERROR, mailFrom("192.0.2.1", "x@inc-silent.test").result());
        assertEquals(SpfResult.TEMPERROR, mailFrom("192.0.2.1", "x@a-silent.test").result());
    }

    @Test
    void theThirdVoidLookupIsPermerror() throws Exception {
        txt("two-void.test", "v=spf1 a:nx1.test a:nx2.test ?all");
        txt("three-void.test", "v=spf1 a:nx1.test a:nx2.test exists:nx3.test ?all");
        assertEquals(SpfResult.NEUTRAL, mailFrom("192.0.2.1", "x@two-void.test").result());
        assertEquals(SpfResult.PERMERROR, mailFrom("192.0.2.1", "x@three-void.test").result());
    }

    @Test
    void aHugeRecordOfAddressTermsIsEvaluatedWithoutDeepRecursion() throws Exception {
        List<String> strings = new ArrayList<>();
        strings.add("v=spf1");
        for (int i = 0; i < 3000; i++) {
            strings.add(" ip4:10." + (i / 250) + "." + (i % 250) + ".1");
        }
        strings.add(" -all");
        List<String> chunks = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        for (String s : strings) {
            if (b.length() + s.length() > 255) {
                chunks.add(b.toString());
                b.setLength(0);
            }
            b.append(s);
        }
        chunks.add(b.toString());
        server.add(new TXTRecord(Name.fromConstantString("big.test."), DClass.IN, 60, chunks));
        SpfVerdict v = mailFrom("192.0.2.1", "x@big.test");
        assertEquals(SpfResult.FAIL, v.result());
        assertEquals(SpfResult.PASS, mailFrom("10.11.249.1", "x@big.test").result());
    }

    @Test
    void onlyFailCarriesAnExplanation() throws Exception {
        txt("soft.test", "v=spf1 ~all");
        SpfVerdict v = mailFrom("192.0.2.1", "x@soft.test");
        assertEquals(SpfResult.SOFTFAIL, v.result());
        assertNull(v.explanation());
    }
}
