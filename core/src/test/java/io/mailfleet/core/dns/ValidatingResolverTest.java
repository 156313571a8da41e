package io.mailfleet.core.dns;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DNSSEC-validating mode of the node's resolver against zones signed in the test and served by
 * {@link LoopbackDnsServer}: secure, insecure (outside every trust anchor) and bogus (expired signatures).
 */
class ValidatingResolverTest {

    private static LoopbackDnsServer dns;
    private static AsyncDnsResolver resolver;

    @BeforeAll
    static void zones() throws Exception {
        dns = new LoopbackDnsServer();
        SignedZone good = new SignedZone("signed.test");
        good.add(new ARecord(Name.fromString("host.signed.test."), DClass.IN, 60, InetAddress.getByName("192.0.2.1")));
        good.serveFrom(dns);
        SignedZone expired = new SignedZone("bogus.test", Instant.now().minus(Duration.ofDays(10)),
                Instant.now().minus(Duration.ofDays(1)));
        expired.add(new ARecord(Name.fromString("host.bogus.test."), DClass.IN, 60, InetAddress.getByName("192.0.2.2")));
        expired.serveFrom(dns);
        dns.add(new ARecord(Name.fromString("host.plain.test."), DClass.IN, 60, InetAddress.getByName("192.0.2.3")));
        resolver = new AsyncDnsResolver(ResolverSettings.of(dns.address(), Duration.ofSeconds(5)),
                DnssecAnchors.text(good.trustAnchor() + expired.trustAnchor()));
    }

    @AfterAll
    static void stop() throws Exception {
        dns.close();
    }

    private static ValidatedAnswer ask(String name) {
        return resolver.validated(Name.fromConstantString(name), Type.A).toCompletableFuture().join();
    }

    @Test
    void aSignedAnswerIsSecure() {
        ValidatedAnswer a = ask("host.signed.test.");
        assertEquals(DnssecStatus.SECURE, a.status(), a.toString());
        assertInstanceOf(DnsResult.Found.class, a.result());
        // Answered again from the cache with the same verdict, without asking the server.
        int asked = dns.queries.get();
        assertEquals(DnssecStatus.SECURE, ask("HOST.signed.test.").status());
        assertEquals(asked, dns.queries.get());
    }

    @Test
    void provenAbsenceIsSecure() {
        // NSEC proofs: the name exists without AAAA (NODATA), and a name that does not exist (NXDOMAIN).
        ValidatedAnswer noData = resolver.validated(Name.fromConstantString("host.signed.test."), Type.AAAA)
                .toCompletableFuture().join();
        assertEquals(DnssecStatus.SECURE, noData.status(), noData.toString());
        assertInstanceOf(DnsResult.NoData.class, noData.result());
        ValidatedAnswer nx = resolver.validated(Name.fromConstantString("_25._tcp.host.signed.test."), Type.TLSA)
                .toCompletableFuture().join();
        assertEquals(DnssecStatus.SECURE, nx.status(), nx.toString());
        assertInstanceOf(DnsResult.NxDomain.class, nx.result());
    }

    @Test
    void anExpiredSignatureIsBogusAndGivesNoData() {
        ValidatedAnswer a = ask("host.bogus.test.");
        assertEquals(DnssecStatus.BOGUS, a.status(), a.toString());
        assertInstanceOf(DnsResult.TempError.class, a.result());
        assertTrue(a.reason().length() > 0, a.toString());
    }

    @Test
    void anUnsignedZoneIsInsecureButAnswered() {
        ValidatedAnswer a = ask("host.plain.test.");
        assertEquals(DnssecStatus.INSECURE, a.status(), a.toString());
        assertInstanceOf(DnsResult.Found.class, a.result());
    }

    @Test
    void thePlainModeStillAnswersEveryZone() {
        var r = resolver.query(Name.fromConstantString("host.bogus.test."), Type.A).toCompletableFuture().join();
        assertInstanceOf(DnsResult.Found.class, r);
        assertTrue(resolver.validates());
    }

    @Test
    void theBuiltInRootAnchorsLoadAndGarbageIsRefused() {
        assertTrue(DnssecAnchors.root().toString().contains("root"));
        assertThrows(IllegalArgumentException.class, () -> DnssecAnchors.text("example. IN A 192.0.2.1\n"));
        assertThrows(IllegalArgumentException.class, () -> DnssecAnchors.text("; nothing\n"));
    }
}
