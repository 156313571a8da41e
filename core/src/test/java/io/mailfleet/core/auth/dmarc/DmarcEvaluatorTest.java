package io.mailfleet.core.auth.dmarc;

import io.mailfleet.core.auth.spf.SpfOutcome;
import io.mailfleet.core.auth.spf.SpfResult;
import io.mailfleet.core.dkim.DkimResult;
import io.mailfleet.core.dns.AsyncDnsResolver;
import io.mailfleet.core.dns.LoopbackDnsServer;
import io.mailfleet.core.dns.ResolverSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.mailfleet.core.auth.dmarc.DmarcRecord.Policy.NONE;
import static io.mailfleet.core.auth.dmarc.DmarcRecord.Policy.QUARANTINE;
import static io.mailfleet.core.auth.dmarc.DmarcRecord.Policy.REJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DMARC against a DNS server on loopback through the node's resolver: the public suffix list, record
 * parsing, discovery at the From domain then the organizational domain, relaxed and strict alignment,
 * sp=, np=, pct= sampling, several records, DNS failure, and From fields that name no single domain.
 */
class DmarcEvaluatorTest {

    private static LoopbackDnsServer server;
    private static AsyncDnsResolver dns;
    private static final PublicSuffixList PSL = PublicSuffixList.bundled();

    private static Name n(String s) {
        return Name.fromConstantString(s + ".");
    }

    @BeforeAll
    static void zone() throws Exception {
        server = new LoopbackDnsServer();
        server.add(new TXTRecord(n("_dmarc.example.co.uk"), DClass.IN, 60,
                        "v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s"))
                .add(new ARecord(n("mail.example.co.uk"), DClass.IN, 60, InetAddress.getByName("192.0.2.1")))
                .add(new TXTRecord(n("_dmarc.half.test"), DClass.IN, 60, "v=DMARC1; p=reject; pct=50"))
                .add(new TXTRecord(n("_dmarc.twice.test"), DClass.IN, 60, "v=DMARC1; p=reject"))
                .add(new TXTRecord(n("_dmarc.twice.test"), DClass.IN, 60, "v=DMARC1; p=none"))
                .add(new TXTRecord(n("_dmarc.spf.test"), DClass.IN, 60, "v=DMARC1; p=reject; aspf=s"))
                .servfail("_dmarc.broken.test");
        dns = new AsyncDnsResolver(ResolverSettings.of(server.address(), Duration.ofSeconds(2)));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static DmarcResult eval(int draw, String from, SpfOutcome spf, DkimResult... dkim) {
        return new DmarcEvaluator(dns, PSL, () -> draw).evaluate(List.of(from), spf, List.of(dkim))
                .toCompletableFuture().join();
    }

    private static DkimResult pass(String d) {
        return new DkimResult(d, "s", DkimResult.Status.PASS, "good signature");
    }

    @Test
    void organizationalDomainsFollowThePublicSuffixList() {
        assertEquals("example.co.uk", PSL.organizationalDomain("a.b.mail.example.co.uk"));
        assertEquals("example.com", PSL.organizationalDomain("Mail.Example.COM."));
        assertEquals("co.uk", PSL.organizationalDomain("co.uk"));
        assertEquals("signer.test", PSL.organizationalDomain("x.signer.test")); // no rule: the last label
        assertEquals("x.y.ck", PSL.organizationalDomain("a.x.y.ck")); // *.ck
        assertEquals("www.ck", PSL.organizationalDomain("a.www.ck")); // !www.ck
    }

    @Test
    void recordsParseAsSection63Says() {
        assertEquals(new DmarcRecord(REJECT, QUARANTINE, null, 20, true, false),
                DmarcRecord.parse("v=DMARC1;p=reject; sp=quarantine; pct=20; adkim=s; x-unknown=1").orElseThrow());
        assertTrue(DmarcRecord.parse("p=reject; v=DMARC1").isEmpty());
        assertTrue(DmarcRecord.parse("v=DMARC1; p=bounce").isEmpty());
        assertEquals(NONE, DmarcRecord.parse("v=DMARC1; p=bounce; rua=mailto:a@b.test").orElseThrow().p());
        assertEquals(100, DmarcRecord.parse("v=DMARC1; p=none; pct=many").orElseThrow().pct());
    }

    @Test
    void fromDomainsIgnoreDisplayNamesAndComments() {
        assertEquals(Set.of("b.test"), DmarcEvaluator.fromDomains("\"a@evil.test\" <x@B.test> (via c@d.test)"));
        assertEquals(Set.of("b.test", "c.test"), DmarcEvaluator.fromDomains("x@b.test, y@c.test"));
    }

    @Test
    void alignmentDiscoveryAndDispositions() {
        // the From domain has no record: the organizational domain's sp= applies to an existing subdomain
        DmarcResult sub = eval(0, "a@mail.example.co.uk", null);
        assertEquals(DmarcResult.Status.FAIL, sub.status());
        assertEquals(QUARANTINE, sub.disposition());
        // ... and np= to one that does not exist
        assertEquals(REJECT, eval(0, "a@nowhere.example.co.uk", null).disposition());
        // adkim=s: a signature of the organizational domain does not align with a subdomain From
        assertEquals(DmarcResult.Status.FAIL, eval(0, "a@mail.example.co.uk", null, pass("example.co.uk")).status());
        assertEquals(DmarcResult.Status.PASS, eval(0, "a@example.co.uk", null, pass("example.co.uk")).status());
        // relaxed SPF alignment is the default; aspf=s wants the same domain
        SpfOutcome spf = new SpfOutcome(SpfResult.PASS, "bounce@mail.half.test", false);
        assertEquals(DmarcResult.Status.PASS, eval(0, "a@half.test", spf).status());
        assertEquals(DmarcResult.Status.FAIL, eval(0, "a@spf.test",
                new SpfOutcome(SpfResult.PASS, "bounce@mail.spf.test", false)).status());
        assertEquals(DmarcResult.Status.FAIL, eval(0, "a@half.test",
                new SpfOutcome(SpfResult.SOFTFAIL, "bounce@half.test", false)).status());
        // pct=50: a draw below 50 applies reject, one above applies the next weaker policy
        assertEquals(REJECT, eval(49, "a@half.test", null).disposition());
        assertEquals(QUARANTINE, eval(50, "a@half.test", null).disposition());
        // no record, two records, DNS failure
        assertEquals(DmarcResult.Status.NONE, eval(0, "a@nothing.test", null).status());
        assertEquals(DmarcResult.Status.NONE, eval(0, "a@twice.test", null).status());
        assertEquals(DmarcResult.Status.TEMPERROR, eval(0, "a@broken.test", null).status());
    }

    @Test
    void noSingleFromDomainIsAPermerrorWithoutDisposition() {
        DmarcEvaluator e = new DmarcEvaluator(dns, PSL, () -> 0);
        for (List<String> from : List.of(List.<String>of(), List.of("a@half.test", "b@half.test"),
                List.of("a@half.test, b@spf.test"), List.of("undisclosed"))) {
            DmarcResult r = e.evaluate(from, null, List.of()).toCompletableFuture().join();
            assertEquals(DmarcResult.Status.PERMERROR, r.status(), from.toString());
            assertEquals(NONE, r.disposition());
        }
    }
}
