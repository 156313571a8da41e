package io.mailfleet.protocols.outbound;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MxResolverTest {

    private TestDnsServer dns;
    private MxResolver resolver;

    @BeforeEach
    void start() throws Exception {
        dns = new TestDnsServer();
        resolver = new MxResolver(dns.settings(Duration.ofMillis(700)));
    }

    @AfterEach
    void stop() throws Exception {
        dns.close();
    }

    private MxResult resolve(String domain) {
        return resolver.resolveMx(domain).toCompletableFuture().join();
    }

    @Test
    void mxHostsOrderedByPreferenceWithAddresses() throws Exception {
        dns.mx("example.test", 20, "backup.example.test").mx("example.test", 10, "mx1.example.test")
                .a("mx1.example.test", "192.0.2.1").aaaa("mx1.example.test", "2001:db8::1")
                .a("backup.example.test", "192.0.2.2");
        MxResult.Resolved r = assertInstanceOf(MxResult.Resolved.class, resolve("example.test"));
        assertEquals(List.of(
                new MxHost("mx1.example.test", 10, List.of(InetAddress.getByName("192.0.2.1"),
                        InetAddress.getByName("2001:db8::1"))),
                new MxHost("backup.example.test", 20, List.of(InetAddress.getByName("192.0.2.2")))), r.hosts());
    }

    @Test
    void equalPreferencesComeInBothOrders() throws Exception {
        dns.mx("eq.test", 10, "a.eq.test").mx("eq.test", 10, "b.eq.test").mx("eq.test", 5, "first.eq.test")
                .a("a.eq.test", "192.0.2.10").a("b.eq.test", "192.0.2.11").a("first.eq.test", "192.0.2.9");
        Set<String> seconds = new HashSet<>();
        for (int i = 0; i < 40 && seconds.size() < 2; i++) {
            MxResult.Resolved r = assertInstanceOf(MxResult.Resolved.class, resolve("eq.test"));
            assertEquals("first.eq.test", r.hosts().get(0).host());
            assertEquals(3, r.hosts().size());
            seconds.add(r.hosts().get(1).host());
        }
        assertEquals(Set.of("a.eq.test", "b.eq.test"), seconds);
    }

    @Test
    void noMxFallsBackToAddressRecords() throws Exception {
        dns.a("plain.test", "192.0.2.5");
        MxResult.Resolved r = assertInstanceOf(MxResult.Resolved.class, resolve("plain.test"));
        assertEquals(List.of(new MxHost("plain.test", 0, List.of(InetAddress.getByName("192.0.2.5")))), r.hosts());
    }

    @Test
    void nullMxIsPermanentEvenWithAnAddress() throws Exception {
        dns.mx("nomail.test", 0, ".").a("nomail.test", "192.0.2.1");
        MxResult.PermanentFailure f = assertInstanceOf(MxResult.PermanentFailure.class, resolve("nomail.test"));
        assertEquals("5.1.10", f.status());
        assertTrue(f.reason().contains("null MX"), f.reason());
    }

    @Test
    void nxdomainIsPermanent() {
        MxResult.PermanentFailure f = assertInstanceOf(MxResult.PermanentFailure.class, resolve("missing.test"));
        assertEquals("5.1.2", f.status());
        assertTrue(f.reason().contains("NXDOMAIN"), f.reason());
    }

    @Test
    void servfailIsTemporary() {
        dns.servfail("broken.test");
        MxResult.TemporaryFailure f = assertInstanceOf(MxResult.TemporaryFailure.class, resolve("broken.test"));
        assertEquals("4.4.3", f.status());
        assertTrue(f.reason().contains("SERVFAIL"), f.reason());
    }

    @Test
    void timeoutIsTemporary() {
        dns.silent("slow.test");
        MxResult.TemporaryFailure f = assertInstanceOf(MxResult.TemporaryFailure.class, resolve("slow.test"));
        assertEquals("4.4.3", f.status());
    }

    @Test
    void mxHostWithoutAddressIsSkippedAndAllMissingIsPermanent() throws Exception {
        dns.mx("half.test", 10, "gone.half.test").mx("half.test", 20, "ok.half.test").a("ok.half.test", "192.0.2.7");
        MxResult.Resolved r = assertInstanceOf(MxResult.Resolved.class, resolve("half.test"));
        assertEquals(List.of("ok.half.test"), r.hosts().stream().map(MxHost::host).toList());

        dns.mx("dead.test", 10, "gone.dead.test");
        MxResult.PermanentFailure f = assertInstanceOf(MxResult.PermanentFailure.class, resolve("dead.test"));
        assertEquals("5.4.4", f.status());
    }

    @Test
    void mxHostWithServfailingAddressIsTemporary() {
        dns.mx("flaky.test", 10, "mx.flaky.test").servfail("mx.flaky.test");
        assertInstanceOf(MxResult.TemporaryFailure.class, resolve("flaky.test"));
    }

    @Test
    void cnamesAreFollowedInsideAndAcrossAnswers() throws Exception {
        dns.mx("alias.test", 10, "mx.alias.test").cname("mx.alias.test", "real.provider.test", true)
                .a("real.provider.test", "192.0.2.20");
        MxResult.Resolved r = assertInstanceOf(MxResult.Resolved.class, resolve("alias.test"));
        assertEquals(List.of(InetAddress.getByName("192.0.2.20")), r.hosts().get(0).addresses());

        dns.cname("mail.other.test", "far.provider.test", false).mx("far.provider.test", 5, "mx.far.test")
                .a("mx.far.test", "192.0.2.21");
        MxResult.Resolved r2 = assertInstanceOf(MxResult.Resolved.class, resolve("mail.other.test"));
        assertEquals(new MxHost("mx.far.test", 5, List.of(InetAddress.getByName("192.0.2.21"))), r2.hosts().get(0));
    }

    @Test
    void bracketedNexthopSkipsMxLookup() throws Exception {
        dns.mx("relay.test", 10, "elsewhere.test").a("relay.test", "192.0.2.30").a("elsewhere.test", "192.0.2.31");
        MxResult.Resolved literal = assertInstanceOf(MxResult.Resolved.class,
                resolver.resolve(NextHop.parse("[relay.test]:587")).toCompletableFuture().join());
        assertEquals(List.of(InetAddress.getByName("192.0.2.30")), literal.hosts().get(0).addresses());
        MxResult.Resolved mx = assertInstanceOf(MxResult.Resolved.class,
                resolver.resolve(NextHop.parse("relay.test:587")).toCompletableFuture().join());
        assertEquals("elsewhere.test", mx.hosts().get(0).host());
        MxResult.Resolved ip = assertInstanceOf(MxResult.Resolved.class,
                resolver.resolve(NextHop.parse("[127.0.0.1]:2525")).toCompletableFuture().join());
        assertEquals(List.of(InetAddress.getByName("127.0.0.1")), ip.hosts().get(0).addresses());
        assertInstanceOf(MxResult.PermanentFailure.class,
                resolver.resolve(NextHop.parse("[nohost.test]")).toCompletableFuture().join());
    }

    @Test
    void invalidDomainIsAClearPermanentFailure() {
        MxResult.PermanentFailure f = assertInstanceOf(MxResult.PermanentFailure.class, resolve("bad..name"));
        assertTrue(f.reason().contains("bad..name"), f.reason());
    }

    @Test
    void nexthopSyntax() {
        assertEquals(new NextHop("mail.example.com", 587, false), NextHop.parse("[mail.example.com]:587"));
        assertEquals(new NextHop("mail.example.com", 25, false), NextHop.parse("[Mail.Example.com]"));
        assertEquals(new NextHop("example.com", 2525, true), NextHop.parse("example.com:2525"));
        assertEquals(new NextHop("example.com", 25, true), NextHop.parse("example.com"));
        assertEquals(new NextHop("2001:db8::1", 25, false), NextHop.parse("[2001:db8::1]:25"));
        assertEquals("[mail.example.com]:587", NextHop.parse("[mail.example.com]:587").toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NextHop.parse("[a.b:25"))
                .getMessage().contains("without ']'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NextHop.parse("a.b:x"))
                .getMessage().contains("not a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NextHop.parse("a.b:70000"))
                .getMessage().contains("70000"));
        assertThrows(IllegalArgumentException.class, () -> NextHop.parse(""));
        assertThrows(IllegalArgumentException.class, () -> NextHop.parse("2001:db8::1"));
    }
}
