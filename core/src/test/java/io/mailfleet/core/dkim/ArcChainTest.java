package io.mailfleet.core.dkim;

import io.mailfleet.core.dns.AsyncDnsResolver;
import io.mailfleet.core.dns.LoopbackDnsServer;
import io.mailfleet.core.dns.ResolverSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ARC chain validation (RFC 8617 §5.2) of chains built here by Mailfleet's sealer, keys generated per run
 * and served by a DNS server on loopback through the node's resolver: one and two hops pass, a body
 * changed after sealing, a changed ARC-Authentication-Results, gaps and duplicates in the instances,
 * wrong cv= values, an unknown key and more than 50 sets fail, and oldest-pass reports where an older
 * hop's message signature stopped validating.
 */
class ArcChainTest {

    private static final String MESSAGE = "From: Alice <alice@origin.test>\r\nTo: list@hop1.test\r\n"
            + "Subject: chained\r\nDate: Mon, 7 Dec 2026 02:00:00 +0000\r\nMessage-ID: <1@origin.test>\r\n\r\n"
            + "Hello list,\r\n\r\nbody text.\r\n";

    private static LoopbackDnsServer server;
    private static AsyncDnsResolver dns;
    private static DkimSigningKey hop1;
    private static DkimSigningKey hop2;
    private static DkimSigningKey unpublished;

    @BeforeAll
    static void keys() throws Exception {
        server = new LoopbackDnsServer();
        KeyPair k1 = DkimKeys.generateRsa(2048);
        KeyPair k2 = DkimKeys.generateRsa(1024);
        hop1 = new DkimSigningKey("hop1.test", "arc", k1.getPrivate());
        hop2 = new DkimSigningKey("hop2.test", "seal", k2.getPrivate());
        unpublished = new DkimSigningKey("hop3.test", "gone", DkimKeys.generateRsa(2048).getPrivate());
        publish("arc._domainkey.hop1.test", DkimKeys.dnsRecord(k1.getPublic()));
        publish("seal._domainkey.hop2.test", DkimKeys.dnsRecord(k2.getPublic()));
        dns = new AsyncDnsResolver(ResolverSettings.of(server.address(), Duration.ofSeconds(2)));
    }

    /** A TXT record of any length, as strings of at most 255 characters. */
    static void publish(LoopbackDnsServer server, String name, String record) {
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < record.length(); i += 255) {
            strings.add(record.substring(i, Math.min(record.length(), i + 255)));
        }
        server.add(new TXTRecord(Name.fromConstantString(name + "."), DClass.IN, 60, strings));
    }

    private static void publish(String name, String record) {
        publish(server, name, record);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static ArcResult verify(AsyncDnsResolver resolver, String message) {
        DkimVerifier v = DkimVerifier.using(resolver::txt, Clock.systemUTC());
        DkimStream s = v.stream(5, 1 << 20);
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i += 7) {
            s.feed(bytes, i, Math.min(7, bytes.length - i));
        }
        return new ArcVerifier(v).verify(s.finish()).toCompletableFuture().join();
    }

    private static ArcResult verify(String message) {
        return verify(dns, message);
    }

    /** {@code message} as forwarded by {@code key}'s domain: its Authentication-Results, then its ARC set. */
    static String seal(DkimSigningKey key, String results, String message) throws Exception {
        String withResults = "Authentication-Results: " + key.domain() + "; " + results + "\r\n" + message;
        String set = new ArcSealer(key, Clock.systemUTC())
                .seal(new ByteArrayInputStream(withResults.getBytes(StandardCharsets.ISO_8859_1)), key.domain())
                .orElseThrow(() -> new AssertionError("not sealed"));
        return set + withResults;
    }

    private static String twoHops() throws Exception {
        String one = seal(hop1, "spf=pass smtp.mailfrom=alice@origin.test;\r\n\tdmarc=pass header.from=origin.test",
                MESSAGE);
        assertEquals(ArcResult.Status.PASS, verify(one).status());
        return seal(hop2, "spf=fail smtp.mailfrom=list@hop1.test; arc=pass", one);
    }

    @Test
    void aMessageWithoutArcFieldsHasNoChain() {
        ArcResult r = verify(MESSAGE);
        assertEquals(ArcResult.Status.NONE, r.status());
        assertEquals(0, r.instances());
    }

    @Test
    void oneAndTwoHopsPass() throws Exception {
        String one = seal(hop1, "spf=pass smtp.mailfrom=alice@origin.test", MESSAGE);
        assertTrue(one.startsWith("ARC-Seal: i=1; a=rsa-sha256; cv=none;"), one);
        ArcResult r1 = verify(one);
        assertEquals(ArcResult.Status.PASS, r1.status(), r1.detail());
        assertEquals(1, r1.instances());
        assertEquals("hop1.test", r1.sets().get(0).sealer());
        assertTrue(r1.sets().get(0).results().startsWith("hop1.test;"), r1.sets().get(0).results());
        assertTrue(r1.sets().get(0).results().contains("spf=pass"), r1.sets().get(0).results());

        String two = twoHops();
        assertTrue(two.startsWith("ARC-Seal: i=2; a=rsa-sha256; cv=pass;"), two);
        ArcResult r2 = verify(two);
        assertEquals(ArcResult.Status.PASS, r2.status(), r2.detail());
        assertEquals(2, r2.instances());
        assertEquals(0, r2.oldestPass());
        assertEquals(List.of("hop1.test", "hop2.test"), r2.sets().stream().map(ArcResult.ArcSet::sealer).toList());
        assertEquals("hop1.test", r2.newestSealedBy(List.of("hop1.test")).orElseThrow().sealer());
    }

    @Test
    void aBodyChangedAfterSealingFails() throws Exception {
        ArcResult r = verify(twoHops().replace("body text.", "body text!"));
        assertEquals(ArcResult.Status.FAIL, r.status());
        assertTrue(r.detail().contains("ARC-Message-Signature i=2") && r.detail().contains("body hash"), r.detail());
    }

    @Test
    void aChangeBetweenHopsLeavesThePassingChainWithALaterOldestPass() throws Exception {
        String one = seal(hop1, "spf=pass smtp.mailfrom=alice@origin.test", MESSAGE);
        // a list footer added by hop 2, which still vouches for the chain it received
        String changed = one.replace("body text.\r\n", "body text.\r\n-- \r\nlist footer\r\n");
        String two = seal(hop2, "arc=pass", changed);
        ArcResult r = verify(two);
        assertEquals(ArcResult.Status.PASS, r.status(), r.detail());
        assertEquals(2, r.oldestPass());
    }

    @Test
    void aFailureRecordedByTheLastHopEndsTheChain() throws Exception {
        String one = seal(hop1, "spf=pass smtp.mailfrom=alice@origin.test", MESSAGE);
        String two = seal(hop2, "arc=fail", one.replace("body text.", "changed"));
        assertTrue(two.startsWith("ARC-Seal: i=2; a=rsa-sha256; cv=fail;"), two);
        ArcResult r = verify(two);
        assertEquals(ArcResult.Status.FAIL, r.status());
        assertTrue(r.detail().contains("cv=fail"), r.detail());
        // and nobody seals on top of a failed chain
        String three = "Authentication-Results: hop2.test; arc=fail\r\n" + two;
        assertTrue(new ArcSealer(hop2, Clock.systemUTC()).seal(new ByteArrayInputStream(
                three.getBytes(StandardCharsets.ISO_8859_1)), "hop2.test").isEmpty());
    }

    @Test
    void aChangedArcAuthenticationResultsBreaksTheSeal() throws Exception {
        String two = twoHops().replace("dmarc=pass header.from=origin.test", "dmarc=pass header.from=forged.test");
        ArcResult r = verify(two);
        assertEquals(ArcResult.Status.FAIL, r.status());
        assertTrue(r.detail().contains("ARC-Seal i=2"), r.detail());
    }

    @Test
    void brokenInstanceNumbersFail() throws Exception {
        String two = twoHops();
        String gap = two.replace("i=2;", "i=3;");
        ArcResult r = verify(gap);
        assertEquals(ArcResult.Status.FAIL, r.status());
        assertEquals("ARC set i=2 is missing", r.detail());

        String zero = two.replace("ARC-Seal: i=2;", "ARC-Seal: i=0;");
        assertEquals(ArcResult.Status.FAIL, verify(zero).status());

        String incomplete = two.replaceFirst("ARC-Message-Signature: i=2;", "X-Old-Signature: i=2;");
        ArcResult inc = verify(incomplete);
        assertEquals(ArcResult.Status.FAIL, inc.status());
        assertEquals("ARC set i=2 is incomplete", inc.detail());
    }

    @Test
    void duplicateInstancesFail() throws Exception {
        String two = twoHops();
        int aar = two.indexOf("ARC-Authentication-Results: i=1;");
        int end = two.indexOf("\r\n", aar);
        while (two.charAt(end + 2) == '\t' || two.charAt(end + 2) == ' ') {
            end = two.indexOf("\r\n", end + 2);
        }
        String copy = two.substring(aar, end + 2);
        ArcResult r = verify(copy + two);
        assertEquals(ArcResult.Status.FAIL, r.status());
        assertEquals("ARC set i=1 has duplicate fields", r.detail());
    }

    @Test
    void wrongChainValidationValuesFail() throws Exception {
        String one = seal(hop1, "spf=pass smtp.mailfrom=alice@origin.test", MESSAGE);
        ArcResult r = verify(one.replace("cv=none", "cv=pass"));
        assertEquals(ArcResult.Status.FAIL, r.status());
        assertTrue(r.detail().contains("cv=pass where none belongs"), r.detail());
        ArcResult r2 = verify(twoHops().replace("cv=pass", "cv=none"));
        assertTrue(r2.detail().contains("ARC-Seal i=2 has cv=none where pass belongs"), r2.detail());
    }

    @Test
    void aSealerWithoutAPublishedKeyFails() throws Exception {
        ArcResult r = verify(seal(unpublished, "spf=pass smtp.mailfrom=a@origin.test", MESSAGE));
        assertEquals(ArcResult.Status.FAIL, r.status());
        assertTrue(r.detail().contains("no key record at gone._domainkey.hop3.test"), r.detail());
    }

    @Test
    void moreThanFiftySetsFail() {
        StringBuilder b = new StringBuilder();
        for (int i = 51; i >= 1; i--) {
            b.append("ARC-Seal: i=").append(i).append("; a=rsa-sha256; cv=pass; d=x.test; s=s; b=AAAA\r\n")
                    .append("ARC-Message-Signature: i=").append(i)
                    .append("; a=rsa-sha256; d=x.test; s=s; h=from; bh=AAAA; b=AAAA\r\n")
                    .append("ARC-Authentication-Results: i=").append(i).append("; x.test; spf=pass\r\n");
        }
        ArcResult r = verify(b + MESSAGE);
        assertEquals(ArcResult.Status.FAIL, r.status());
        assertEquals("more than 50 ARC sets", r.detail());
    }

    @Test
    void arcSealsWithRsaOnly() throws Exception {
        DkimSigningKey edKey = new DkimSigningKey("hop1.test", "ed", DkimKeys.generateEd25519().getPrivate());
        assertTrue(!ArcSealer.canSealWith(edKey));
        assertTrue(ArcSealer.canSealWith(hop1));
        String one = seal(hop1, "spf=pass smtp.mailfrom=alice@origin.test", MESSAGE);
        ArcResult r = verify(one.replace("ARC-Seal: i=1; a=rsa-sha256;", "ARC-Seal: i=1; a=ed25519-sha256;"));
        assertEquals(ArcResult.Status.FAIL, r.status());
        assertTrue(r.detail().contains("not rsa-sha256"), r.detail());
    }

    @Test
    void twoThousandMessageSignaturesFailWithoutHashingTheBodyForEach() throws Exception {
        String one = seal(hop1, "spf=pass smtp.mailfrom=alice@origin.test", MESSAGE);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            b.append("ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=hop1.test; s=arc; h=from;"
                    + " l=").append(i).append("; bh=AAAA; b=AAAA\r\n");
        }
        ArcResult r = verify(b + one);
        assertEquals(ArcResult.Status.FAIL, r.status());
        assertEquals("more than 50 ARC sets", r.detail());
    }

    @Test
    void aHeaderSectionOverTheBoundFails() {
        DkimVerifier v = DkimVerifier.using(dns::txt, Clock.systemUTC());
        DkimStream s = v.stream(5, 4096);
        byte[] bytes = ("X-Long: " + "a".repeat(5000) + "\r\n" + MESSAGE).getBytes(StandardCharsets.ISO_8859_1);
        s.feed(bytes, 0, bytes.length);
        ArcResult r = new ArcVerifier(v).verify(s.finish()).toCompletableFuture().join();
        assertEquals(ArcResult.Status.FAIL, r.status());
        assertEquals("header section larger than 4096 bytes", r.detail());
    }

    @Test
    void garbageFieldsFailWithoutAnException() {
        for (String bad : List.of("ARC-Seal: nonsense\r\n", "ARC-Seal: i=1; cv=none; a=rsa-sha256; d=x.test; s=s; b=@@@\r\n"
                        + "ARC-Message-Signature: i=1; a=rsa-sha256; d=x.test; s=s; h=from; bh=; b=\r\n"
                        + "ARC-Authentication-Results: i=1; x.test; none\r\n",
                "ARC-Authentication-Results: i=99999999999; x\r\n")) {
            assertEquals(ArcResult.Status.FAIL, verify(bad + MESSAGE).status(), bad);
        }
    }

    @Test
    void theSealerNeedsOurResultsAndARecordedChainValidation() throws Exception {
        ArcSealer sealer = new ArcSealer(hop1, Clock.systemUTC());
        assertTrue(sealer.seal(new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.ISO_8859_1)), "hop1.test")
                .isEmpty(), "no Authentication-Results of ours");
        String one = seal(hop1, "spf=pass smtp.mailfrom=alice@origin.test", MESSAGE);
        String noArcResult = "Authentication-Results: hop2.test; spf=pass smtp.mailfrom=x@hop1.test\r\n" + one;
        assertTrue(new ArcSealer(hop2, Clock.systemUTC()).seal(new ByteArrayInputStream(
                noArcResult.getBytes(StandardCharsets.ISO_8859_1)), "hop2.test").isEmpty(),
                "a chain we did not validate is not continued");
    }
}
