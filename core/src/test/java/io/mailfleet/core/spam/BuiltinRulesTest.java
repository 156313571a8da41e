package io.mailfleet.core.spam;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuiltinRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");

    /** Feeds {@code message} in chunks of {@code chunk} bytes, as DATA arrives. */
    private static List<String> hits(String message, int chunk) {
        ContentScan scan = new ContentScan();
        byte[] b = message.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i += chunk) {
            scan.feed(ByteBuffer.wrap(b, i, Math.min(chunk, b.length - i)));
        }
        return BuiltinRules.evaluate(scan, NOW).stream().map(SpamSymbol::name).toList();
    }

    private static final String GOOD = "Received: from mx.remote.example by mail.example.com\r\n"
            + "From: Alice <alice@remote.example>\r\nTo: bob@example.com\r\nSubject: lunch tomorrow?\r\n"
            + "Date: Sun, 6 Dec 2026 12:00:00 +0000\r\nMessage-ID: <1@remote.example>\r\n"
            + "Content-Type: text/plain\r\n\r\nsee you at noon\r\n";

    @Test
    void anOrdinaryMessageHitsNothing() {
        assertEquals(List.of(), hits(GOOD, 7));
    }

    @Test
    void gtubeIsFoundAcrossChunkBoundaries() {
        String m = GOOD + "x" + ContentScan.GTUBE + "\r\n";
        for (int chunk : new int[]{1, 3, 17, 4096}) {
            assertEquals(List.of("GTUBE"), hits(m, chunk), "chunks of " + chunk);
        }
        assertEquals(List.of(), hits(GOOD + ContentScan.GTUBE.substring(0, 40) + "X" + "\r\n", 5));
    }

    @Test
    void headerAnomaliesEachHaveTheirSymbol() {
        String m = "Received: from x by y\r\nFrom: \"PayPal <service@paypal.com>\" <x@evil.example>\r\n"
                + "From: second@evil.example\r\nSubject: YOUR ACCOUNT IS SUSPENDED!!!\r\n"
                + "Date: Wed, 1 Jan 2031 00:00:00 +0000\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n";
        List<String> h = hits(m, 64);
        for (String s : List.of("MULTIPLE_FROM", "FROM_NAME_HAS_OTHER_ADDR", "MISSING_MID", "DATE_IN_FUTURE",
                "SUBJ_ALL_CAPS", "SUBJ_EXCESS_EXCLAIM", "MISSING_TO", "MIME_HTML_ONLY")) {
            assertTrue(h.contains(s), s + " in " + h);
        }
        assertTrue(hits("Subject: x\r\nDate: yesterday\r\n\r\nbody\r\n", 8).containsAll(
                List.of("MISSING_FROM", "INVALID_DATE", "MISSING_MID")));
    }

    @Test
    void aDangerousAttachmentNameInAnyPartCounts() {
        String m = GOOD.replace("Content-Type: text/plain\r\n\r\nsee you at noon\r\n",
                "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\n"
                        + "Content-Type: application/octet-stream;\r\n\tname=\"Invoice.PDF.exe\"\r\n\r\nAAAA\r\n--b--\r\n");
        assertEquals(List.of("MIME_BAD_EXTENSION"), hits(m, 10));
        assertEquals(List.of(), hits(m.replace("Invoice.PDF.exe", "invoice.pdf"), 10));
    }

    @Test
    void onlyOurOwnReceivedSpfAtTheTopCounts() {
        assertEquals(List.of("R_SPF_FAIL"), hits("Received-SPF: Fail (mailfrom) identity=mailfrom\r\n" + GOOD, 9));
        assertEquals(List.of("R_SPF_ALLOW"), hits("Received-SPF: pass (mailfrom)\r\n" + GOOD, 9));
        // a sender's own Received-SPF below our Received: is ignored
        assertEquals(List.of(), hits(GOOD.replace("From: Alice", "Received-SPF: pass\r\nFrom: Alice"), 9));
        assertEquals(-0.5, BuiltinRules.score(BuiltinRules.evaluate(scan("Received-SPF: pass\r\n" + GOOD), NOW)));
    }

    @Test
    void aHugeHeaderAndHugeLinesStayBounded() {
        StringBuilder m = new StringBuilder(GOOD.substring(0, GOOD.indexOf("\r\n\r\n") + 2));
        String filler = "X-Filler: " + "a".repeat(1000) + "\r\n";
        while (m.length() < 400 * 1024) {
            m.append(filler);
        }
        m.append("X-Long: ").append("b".repeat(2_000_000)).append("\r\n\r\nbody\r\n");
        ContentScan s = scan(m.toString());
        assertTrue(s.header().length() <= ContentScan.MAX_HEADER);
        assertTrue(BuiltinRules.evaluate(s, NOW).stream().anyMatch(x -> x.name().equals("HEADER_HUGE")));
    }

    private static ContentScan scan(String message) {
        ContentScan scan = new ContentScan();
        scan.feed(ByteBuffer.wrap(message.getBytes(StandardCharsets.ISO_8859_1)));
        return scan;
    }
}
