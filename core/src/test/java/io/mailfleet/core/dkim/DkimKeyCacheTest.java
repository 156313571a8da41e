package io.mailfleet.core.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Decoded keys are reused for the same record text only, and the cache stays within its bound. */
class DkimKeyCacheTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    private static final String NAME = "mail._domainkey.example.com";
    private static final String MESSAGE = "From: ada@example.com\r\nTo: grace@example.org\r\nSubject: hi\r\n"
            + "Date: Sun, 1 Mar 2026 10:00:00 +0000\r\nMessage-ID: <k1@example.com>\r\n\r\nHello.\r\n";

    @Test
    void theSameRecordYieldsTheSameKeyObjectAndAChangedRecordANewOne() throws Exception {
        DkimKeyCache cache = new DkimKeyCache(8);
        String record = DkimKeys.dnsRecord(DkimKeys.generateRsa(1024).getPublic());
        DkimKeys.KeyRecord first = cache.get(record, DkimAlgorithm.RSA_SHA256, NAME);
        assertSame(first, cache.get(record, DkimAlgorithm.RSA_SHA256, NAME));
        assertSame(first.key(), cache.get(new String(record), DkimAlgorithm.RSA_SHA256, NAME).key());

        DkimKeys.KeyRecord testing = cache.get(record + "; t=y", DkimAlgorithm.RSA_SHA256, NAME);
        assertNotSame(first, testing);
        assertEquals(true, testing.testing());
        assertEquals(false, first.testing());

        String rotated = DkimKeys.dnsRecord(DkimKeys.generateRsa(1024).getPublic());
        DkimKeys.KeyRecord second = cache.get(rotated, DkimAlgorithm.RSA_SHA256, NAME);
        assertNotSame(first.key(), second.key());
        assertEquals(3, cache.size());
    }

    @Test
    void aRecordThatDoesNotParseIsRefusedEveryTimeAndNotKept() {
        DkimKeyCache cache = new DkimKeyCache(8);
        String ed = DkimKeys.dnsRecord(DkimKeys.generateEd25519().getPublic());
        for (int i = 0; i < 2; i++) {
            assertThrows(DkimException.class, () -> cache.get(ed, DkimAlgorithm.RSA_SHA256, NAME));
            assertThrows(DkimException.class, () -> cache.get("v=DKIM1; k=rsa; p=", DkimAlgorithm.RSA_SHA256, NAME));
        }
        assertEquals(0, cache.size());
    }

    @Test
    void theBoundHoldsAndTheLeastRecentlyUsedRecordGoesFirst() throws Exception {
        DkimKeyCache cache = new DkimKeyCache(3);
        String[] records = new String[5];
        for (int i = 0; i < records.length; i++) {
            records[i] = DkimKeys.dnsRecord(DkimKeys.generateEd25519().getPublic());
        }
        DkimKeys.KeyRecord a = cache.get(records[0], DkimAlgorithm.ED25519_SHA256, NAME);
        DkimKeys.KeyRecord b = cache.get(records[1], DkimAlgorithm.ED25519_SHA256, NAME);
        cache.get(records[2], DkimAlgorithm.ED25519_SHA256, NAME);
        assertSame(a, cache.get(records[0], DkimAlgorithm.ED25519_SHA256, NAME));
        cache.get(records[3], DkimAlgorithm.ED25519_SHA256, NAME);
        cache.get(records[4], DkimAlgorithm.ED25519_SHA256, NAME);
        assertEquals(3, cache.size());
        assertSame(a, cache.get(records[0], DkimAlgorithm.ED25519_SHA256, NAME));
        assertNotSame(b, cache.get(records[1], DkimAlgorithm.ED25519_SHA256, NAME));
        assertEquals(3, cache.size());
        assertThrows(IllegalArgumentException.class, () -> new DkimKeyCache(0));
    }

    @Test
    void aVerifierFollowsARotatedRecordAtTheSameName() throws Exception {
        KeyPair oldKey = DkimKeys.generateRsa(1024);
        KeyPair newKey = DkimKeys.generateRsa(1024);
        AtomicReference<String> published = new AtomicReference<>(DkimKeys.dnsRecord(oldKey.getPublic()));
        DkimVerifier v = new DkimVerifier(n -> n.equals(NAME) ? List.of(published.get()) : List.of(), CLOCK);
        String signedOld = signed(oldKey);
        String signedNew = signed(newKey);

        assertEquals(DkimResult.Status.PASS, status(v, signedOld));
        assertEquals(DkimResult.Status.PASS, status(v, signedOld));
        assertEquals(DkimResult.Status.FAIL, status(v, signedNew));
        published.set(DkimKeys.dnsRecord(newKey.getPublic()));
        assertEquals(DkimResult.Status.PASS, status(v, signedNew));
        assertEquals(DkimResult.Status.FAIL, status(v, signedOld));
    }

    private static String signed(KeyPair pair) throws Exception {
        DkimSigner signer = new DkimSigner(new DkimSigningKey("example.com", "mail", pair.getPrivate()), CLOCK);
        return signer.sign(new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.US_ASCII))) + MESSAGE;
    }

    private static DkimResult.Status status(DkimVerifier v, String message) throws Exception {
        List<DkimResult> r = v.verify(new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(1, r.size(), r.toString());
        return r.get(0).status();
    }
}
