package io.mailfleet.core.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signatures made here are checked by Apache jDKIM (RSA) and by the BouncyCastle-based verifier (Ed25519). */
class DkimSignerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    private static final KeyPair RSA = DkimKeys.generateRsa(2048);
    private static final String MESSAGE = String.join("\r\n",
            "Received: from x by y; Sun, 1 Mar 2026 10:00:00 +0000",
            "From: Ada Lovelace <ada@example.com>",
            "To: grace@example.org,",
            "   bob@example.net",
            "Subject:   Hello \t there",
            "Date: Sun, 1 Mar 2026 10:00:00 +0000",
            "Message-ID: <m1@example.com>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "",
            "Hi Grace,   trailing  ",
            "",
            "\tbye.",
            "",
            "",
            "") ;

    private static String signed(KeyPair pair, String selector, String message) throws Exception {
        DkimSigner signer = new DkimSigner(new DkimSigningKey("example.com", selector, pair.getPrivate()), CLOCK);
        return signer.sign(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8))) + message;
    }

    private static List<SignatureRecord> jdkimVerify(String message, String record) throws Exception {
        DKIMVerifier v = new DKIMVerifier((method, selector, token) -> {
            if ((selector + "._domainkey." + token).equals("mail._domainkey.example.com")) {
                return List.of(record);
            }
            return List.of();
        });
        return v.verify(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rsaSignatureVerifiesWithApacheJdkimAgainstThePrintedRecord(@TempDir Path dir) throws Exception {
        String txt = DkimKeys.writeOpenDkim(dir, "example.com", "mail", RSA);
        String record = DkimKeys.recordFromZoneFileText(txt);
        String message = signed(RSA, "mail", MESSAGE);
        assertTrue(message.startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n\td=example.com; s=mail; t=1772359200;"), message);
        assertTrue(message.contains("h=from:from:to:subject:date:message-id:mime-version:content-type;"), message);
        List<SignatureRecord> ok = jdkimVerify(message, record);
        assertEquals(1, ok.size());
        assertEquals("example.com", ok.get(0).getDToken().toString());
        // jDKIM rejects what it must
        assertThrows(FailException.class, () -> jdkimVerify(message.replace("Hi Grace", "Hi Eve"), record));
        assertThrows(FailException.class, () -> jdkimVerify(message.replace("Subject:   Hello", "Subject: Bye"), record));
        assertThrows(FailException.class, () -> jdkimVerify(
                message.replace("From: Ada", "From: Mallory <m@evil.example>\r\nFrom: Ada"), record));
        // whitespace changes survive relaxed canonicalization
        assertEquals(1, jdkimVerify(message.replace("Subject:   Hello \t there", "Subject: Hello there"), record).size());
    }

    @Test
    void rsaSignatureAlsoPassesOurVerifierWithTheLoadedKey(@TempDir Path dir) throws Exception {
        String txt = DkimKeys.writeOpenDkim(dir, "example.com", "mail", RSA);
        DkimSigningKey loaded = DkimKeys.loadOpenDkim(dir).get(0);
        String message = new DkimSigner(loaded, CLOCK).sign(new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.UTF_8))) + MESSAGE;
        DkimVerifier v = new DkimVerifier(n -> n.equals("mail._domainkey.example.com")
                ? List.of(recordOrThrow(txt)) : List.of(), CLOCK);
        List<DkimResult> r = v.verify(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
        assertEquals(DkimResult.Status.PASS, r.get(0).status(), r.toString());
    }

    private static String recordOrThrow(String txt) throws DkimException {
        return DkimKeys.recordFromZoneFileText(txt);
    }

    @Test
    void ed25519SignatureVerifiesWithBouncyCastle() throws Exception {
        KeyPair ed = DkimKeys.generateEd25519();
        String message = signed(ed, "ed", MESSAGE);
        assertTrue(message.startsWith("DKIM-Signature: v=1; a=ed25519-sha256;"), message);
        Map<String, String> keys = Map.of("ed._domainkey.example.com", DkimKeys.dnsRecord(ed.getPublic()));
        DkimVerifier v = DkimVerifierRfc8463Test.verifier(keys);
        assertEquals(List.of(DkimResult.Status.PASS), DkimVerifierRfc8463Test.statuses(message, keys));
        assertEquals(List.of(DkimResult.Status.FAIL), DkimVerifierRfc8463Test.statuses(message.replace("bye.", "bye!"), keys));
        assertEquals(List.of(DkimResult.Status.FAIL), DkimVerifierRfc8463Test.statuses(message.replace("m1@", "m2@"), keys));
        assertTrue(v.verify(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8))).get(0).passed());
    }

    @Test
    void largeBodyIsHashedAsAStream() throws Exception {
        String head = "From: ada@example.com\r\nSubject: big\r\n\r\n";
        byte[] line = "0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789\r\n".getBytes(StandardCharsets.US_ASCII);
        int lines = 40_000; // about 3 MB, streamed without being held
        InputStream body = new InputStream() {
            long pos;
            final long total = (long) line.length * lines;

            @Override
            public int read() {
                return pos < total ? line[(int) (pos++ % line.length)] : -1;
            }
        };
        DkimSigner signer = new DkimSigner(new DkimSigningKey("example.com", "mail", RSA.getPrivate()), CLOCK);
        String sig = signer.sign(new SequenceInputStream(new ByteArrayInputStream(head.getBytes(StandardCharsets.US_ASCII)), body));
        StringBuilder full = new StringBuilder(sig).append(head);
        String l = new String(line, StandardCharsets.US_ASCII);
        full.append(String.join("", Collections.nCopies(lines, l)));
        assertEquals(1, jdkimVerify(full.toString(), DkimKeys.dnsRecord(RSA.getPublic())).size());
    }

    @Test
    void messageWithoutFromIsRefusedClearly() {
        DkimSigner signer = new DkimSigner(new DkimSigningKey("example.com", "mail", RSA.getPrivate()), CLOCK);
        DkimException e = assertThrows(DkimException.class,
                () -> signer.sign(new ByteArrayInputStream("Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(e.getMessage().contains("From"), e.getMessage());
        assertThrows(DkimException.class,
                () -> signer.sign(new ByteArrayInputStream("no colon here\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII))));
    }
}
