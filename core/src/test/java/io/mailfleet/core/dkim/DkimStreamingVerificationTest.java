package io.mailfleet.core.dkim;

import io.mailfleet.core.dns.DnsResult;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mailfleet.core.dkim.DkimResult.Status.FAIL;
import static io.mailfleet.core.dkim.DkimResult.Status.PASS;
import static io.mailfleet.core.dkim.DkimResult.Status.PERMERROR;
import static io.mailfleet.core.dkim.DkimResult.Status.TEMPERROR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming verifier: the RFC 6376 and RFC 8463 examples fed in small chunks, key flags, RFC 8301,
 * l=, and hostile input (broken base64, absent b=, unknown a=, huge h=, 2,000 signatures, a 1 MB
 * header line) giving the RFC's result with bounded work and DNS questions.
 */
class DkimStreamingVerificationTest {

    /** RFC 6376 Appendix A.2 with the key of A.3 (simple/simple, i= a subdomain of d=, Received signed). */
    static final String RFC6376 = String.join("\r\n",
            "DKIM-Signature: v=1; a=rsa-sha256; s=brisbane; d=example.com;",
            "      c=simple/simple; q=dns/txt; i=joe@football.example.com;",
            "      h=Received : From : To : Subject : Date : Message-ID;",
            "      bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;",
            "      b=AuUoFEfDxTDkHlLXSZEpZj79LICEps6eda7W3deTVFOk4yAUoqOB",
            "        4nujc7YopdG5dWLSdNg6xNAZpOPr+kHxt1IrE+NahM6L/LbvaHut",
            "        KVdkLLkpVaVVQPzeRDI009SO2Il5Lu7rDNH6mZckBdrIx0orEtZV",
            "        4bmp/YzhwvcubU4=;",
            "Received: from client1.football.example.com  [192.0.2.1]",
            "      by submitserver.example.com with SUBMISSION;",
            "      Fri, 11 Jul 2003 21:01:54 -0700 (PDT)",
            "From: Joe SixPack <joe@football.example.com>",
            "To: Suzie Q <suzie@shopping.example.net>",
            "Subject: Is dinner ready?",
            "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)",
            "Message-ID: <20030712040037.46341.5F8J@football.example.com>",
            "",
            "Hi.",
            "",
            "We lost the game. Are you hungry yet?",
            "",
            "Joe.",
            "");
    static final String RFC6376_KEY = "v=DKIM1; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGe"
            + "LnQg1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0fzf"
            + "VjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    /** DNS answers from a map, counting the questions. */
    static final class Keys implements DkimVerifier.KeySource {
        final Map<String, String> records;
        final AtomicInteger questions = new AtomicInteger();

        Keys(Map<String, String> records) {
            this.records = records;
        }

        @Override
        public CompletableFuture<DnsResult<String>> txt(String name) {
            questions.incrementAndGet();
            String r = records.get(name);
            return CompletableFuture.completedFuture(r == null ? new DnsResult.NxDomain<>()
                    : new DnsResult.Found<>(List.of(r), Duration.ofMinutes(1)));
        }
    }

    static List<DkimResult> verify(String message, DkimVerifier.KeySource keys, int chunk, int max) {
        DkimVerifier v = DkimVerifier.using(keys, CLOCK);
        DkimStream s = v.stream(max, 1 << 20);
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i += chunk) {
            s.feed(bytes, i, Math.min(chunk, bytes.length - i));
        }
        return v.verify(s.finish()).toCompletableFuture().join();
    }

    static List<DkimResult.Status> statuses(String message, Map<String, String> keys) {
        return verify(message, new Keys(keys), 4096, 5).stream().map(DkimResult::status).toList();
    }

    /** {@code s} with the first {@code literal} replaced. */
    static String first(String s, String literal, String replacement) {
        int i = s.indexOf(literal);
        assertTrue(i >= 0, literal);
        return s.substring(0, i) + replacement + s.substring(i + literal.length());
    }

    @Test
    void rfc6376ExamplePassesFedInSmallChunks() {
        for (int chunk : new int[] {1, 7, 64, 100_000}) {
            List<DkimResult> r = verify(RFC6376, new Keys(Map.of("brisbane._domainkey.example.com", RFC6376_KEY)),
                    chunk, 5);
            assertEquals(1, r.size());
            assertEquals(PASS, r.get(0).status(), r.toString());
            assertEquals("joe@football.example.com", r.get(0).identity());
            assertEquals("AuUoFEfD", r.get(0).bPrefix());
        }
        assertEquals(List.of(FAIL), statuses(RFC6376.replace("hungry", "thirsty"),
                Map.of("brisbane._domainkey.example.com", RFC6376_KEY)));
        // simple header canonicalization: refolding a signed field breaks it
        assertEquals(List.of(FAIL), statuses(RFC6376.replace("Subject: Is dinner ready?", "Subject:  Is dinner ready?"),
                Map.of("brisbane._domainkey.example.com", RFC6376_KEY)));
    }

    @Test
    void rfc8463ExamplePassesByteByByte() {
        List<DkimResult> r = verify(DkimVerifierRfc8463Test.SIGNED, new Keys(DkimVerifierRfc8463Test.KEYS), 1, 5);
        assertEquals(List.of(PASS, PASS), r.stream().map(DkimResult::status).toList());
        assertEquals("ed25519-sha256", r.get(0).algorithm());
    }

    @Test
    void malformedSignaturesArePermerrorsWithoutDnsQuestions() {
        Keys keys = new Keys(DkimVerifierRfc8463Test.KEYS);
        String m = DkimVerifierRfc8463Test.SIGNED;
        String ed = "b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus";
        for (String broken : List.of(
                m.replace(ed, "b=/gCr!!!*QOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus"), // broken base64
                m.replace("bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n b=/gCr",
                        "bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n x-b=/gCr"), // absent b=
                m.replace("a=ed25519-sha256", "a=ed448-sha512"), // unknown algorithm
                m.replace("bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n b=/gCr",
                        "bh=2jUSOH9NhtVGCQWNr9BrIAPre%%%jO6Sn7XIkfJVOzv8=;\r\n b=/gCr"), // broken bh
                first(first(m, "h=from : to :", "h=to :"), " subject : date : message-id : from : subject : date;",
                        " subject : date;"), // From not signed
                m.replace("d=football.example.com; i=@football.example.com;\r\n q=dns/txt; s=brisbane",
                        "d=football.example.com; i=@football.example.com;\r\n q=dns/txt; s=brisbane; s=again"),
                m.replace("v=1; a=ed25519", "v=2; a=ed25519"),
                m.replace("q=dns/txt; s=brisbane", "q=http/well-known; s=brisbane"),
                m.replace("d=football.example.com; i=@football.example.com;\r\n q=dns/txt; s=brisbane",
                        "d=foot ball.example.com; i=@football.example.com;\r\n q=dns/txt; s=brisbane"))) {
            List<DkimResult> r = verify(broken, keys, 4096, 5);
            assertEquals(PERMERROR, r.get(0).status(), r.toString());
            assertEquals(PASS, r.get(1).status(), r.toString());
        }
        // each message asked once, for the RSA signature only
        assertEquals(9, keys.questions.get());
    }

    @Test
    void keyRecordsDecideTestingStrictRevokedAndMissing() {
        String m = DkimVerifierRfc8463Test.SIGNED;
        String edKey = DkimVerifierRfc8463Test.KEYS.get("brisbane._domainkey.football.example.com");
        String rsaName = "test._domainkey.football.example.com";
        String rsaKey = DkimVerifierRfc8463Test.KEYS.get(rsaName);
        List<DkimResult> testing = verify(m, new Keys(Map.of("brisbane._domainkey.football.example.com",
                edKey + "; t=y", rsaName, rsaKey)), 4096, 5);
        assertEquals(PASS, testing.get(0).status());
        assertTrue(testing.get(0).testing());
        assertEquals(List.of(PASS, PASS), statuses(m, Map.of("brisbane._domainkey.football.example.com",
                edKey + "; t=s", rsaName, rsaKey)));
        // t=s: the i= domain must be d= itself, not a subdomain (checked before the signature)
        assertEquals(PERMERROR, statuses(m.replaceFirst("i=@football.example.com", "i=@sub.football.example.com"),
                Map.of("brisbane._domainkey.football.example.com", edKey + "; t=s", rsaName, rsaKey)).get(0));
        assertEquals(PERMERROR, statuses(m, Map.of("brisbane._domainkey.football.example.com",
                "v=DKIM1; k=ed25519; p=", rsaName, rsaKey)).get(0)); // revoked
        assertEquals(PERMERROR, statuses(m, Map.of("brisbane._domainkey.football.example.com",
                "v=DKIM1; k=ed25519; p=%%%", rsaName, rsaKey)).get(0)); // key not base64
        assertEquals(PERMERROR, statuses(m, Map.of("brisbane._domainkey.football.example.com",
                "v=DKIM1; k=rsa; " + rsaKey.substring(rsaKey.indexOf("p=")), rsaName, rsaKey)).get(0)); // wrong k=
        assertEquals(PERMERROR, statuses(m, Map.of("brisbane._domainkey.football.example.com",
                edKey + "; s=other", rsaName, rsaKey)).get(0)); // not for email
        assertEquals(List.of(PERMERROR, PASS), statuses(m, Map.of(rsaName, rsaKey))); // no key at all
        List<DkimResult> down = verify(m, name -> CompletableFuture.completedFuture(new DnsResult.TempError<>("SERVFAIL")),
                4096, 5);
        assertEquals(List.of(TEMPERROR, TEMPERROR), down.stream().map(DkimResult::status).toList());
    }

    @Test
    void rfc8301RefusesShortKeysAndRsaSha1() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(512);
        KeyPair small = g.generateKeyPair();
        String message = "From: a@short.test\r\nSubject: hi\r\n\r\nbody\r\n";
        String field = new DkimSigner(new DkimSigningKey("short.test", "s", small.getPrivate()), CLOCK)
                .sign(new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)));
        List<DkimResult> r = verify(field + message, new Keys(Map.of("s._domainkey.short.test",
                DkimKeys.dnsRecord(small.getPublic()))), 4096, 5);
        assertEquals(FAIL, r.get(0).status());
        assertTrue(r.get(0).detail().contains("RFC 8301"), r.get(0).detail());
        List<DkimResult> sha1 = verify(field.replace("a=rsa-sha256", "a=rsa-sha1") + message, new Keys(Map.of()), 4096, 5);
        assertEquals(FAIL, sha1.get(0).status());
        assertTrue(sha1.get(0).detail().contains("rsa-sha1"), sha1.get(0).detail());
    }

    @Test
    void twoThousandSignaturesVerifyTheFirstFiveAndAskAtMostFiveQuestions() {
        String sig = DkimVerifierRfc8463Test.SIGNED.substring(0, DkimVerifierRfc8463Test.SIGNED.indexOf("From: "));
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            b.append(sig.replace("s=brisbane", "s=brisbane" + i).replace("s=test", "s=test" + i));
        }
        String message = b + DkimVerifierRfc8463Test.SIGNED;
        Keys keys = new Keys(DkimVerifierRfc8463Test.KEYS);
        DkimVerifier v = DkimVerifier.using(keys, CLOCK);
        DkimStream s = v.stream(5, 2 << 20);
        byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        s.feed(bytes, 0, bytes.length);
        DkimMessage parsed = s.finish();
        assertEquals(1997, parsed.notVerified());
        List<DkimResult> r = v.verify(parsed).toCompletableFuture().join();
        assertEquals(5, r.size());
        assertTrue(keys.questions.get() <= 5, "questions: " + keys.questions.get());
        assertTrue(r.stream().noneMatch(DkimResult::passed), r.toString());
    }

    @Test
    void hugeHListAndMegabyteHeaderLineAreBounded() {
        String m = DkimVerifierRfc8463Test.SIGNED;
        StringBuilder h = new StringBuilder("h=from");
        for (int i = 0; i < 50_000; i++) {
            h.append(i % 2 == 0 ? ":from" : ":x-nothing");
        }
        List<DkimResult> huge = verify(first(m, "h=from : to :", h + " : to :"),
                new Keys(DkimVerifierRfc8463Test.KEYS), 4096, 5);
        assertEquals(List.of(FAIL, PASS), huge.stream().map(DkimResult::status).toList());

        String line = "X-Big: " + "a".repeat(1 << 20) + "\r\n";
        List<DkimResult> big = verify(line + m, new Keys(DkimVerifierRfc8463Test.KEYS), 65536, 5);
        assertEquals(1, big.size());
        assertEquals(PERMERROR, big.get(0).status());
        assertTrue(big.get(0).detail().startsWith("header section larger than"), big.get(0).detail());
        // no signature at all
        assertTrue(verify("From: a@b.test\r\n\r\nhi\r\n", new Keys(Map.of()), 3, 5).isEmpty());
        // header only, no body and no final CRLF
        assertTrue(verify("From: a@b.test", new Keys(Map.of()), 3, 5).isEmpty());
    }

    @Test
    void expiredSignaturesFailAndXBeforeTIsPermerror() {
        String m = DkimVerifierRfc8463Test.SIGNED;
        assertEquals(FAIL, statuses(m.replaceFirst("t=1528637909;", "t=1528637909; x=1528637999;"),
                DkimVerifierRfc8463Test.KEYS).get(0));
        assertEquals(PERMERROR, statuses(m.replaceFirst("t=1528637909;", "t=1528637909; x=1528630000;"),
                DkimVerifierRfc8463Test.KEYS).get(0));
    }

    @Test
    void bodyLengthLimitSignsAPrefixAndIsReported() throws Exception {
        // l= given by a signer (dkimpy in the interop test); here a body shorter than l= fails
        String m = DkimVerifierRfc8463Test.SIGNED.replaceFirst("s=brisbane;", "l=99999; s=brisbane;");
        List<DkimResult> r = verify(m, new Keys(DkimVerifierRfc8463Test.KEYS), 4096, 5);
        assertEquals(FAIL, r.get(0).status());
        assertEquals("body shorter than l=99999", r.get(0).detail());
        List<DkimResult> all = new ArrayList<>(r);
        assertEquals(99999, all.get(0).bodyLength());
    }
}
