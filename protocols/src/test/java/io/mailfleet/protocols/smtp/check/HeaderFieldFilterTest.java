package io.mailfleet.protocols.smtp.check;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dropping header fields from a message streamed in chunks of any size, the body untouched. */
class HeaderFieldFilterTest {

    private static final DropFields SPAM = new DropFields(List.of("x-spam"), List.of("x-spam-", "x-rspamd-"));

    /** The message through the filter in chunks of {@code chunk} octets. */
    private static String filtered(String message, int chunk) {
        byte[] in = message.getBytes(StandardCharsets.ISO_8859_1);
        HeaderFieldFilter f = new HeaderFieldFilter(SPAM);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < in.length; i += chunk) {
            f.filter(in, i, Math.min(chunk, in.length - i), out);
        }
        f.finish(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static void assertFiltered(String expected, String message) {
        for (int chunk : new int[] {1, 2, 3, 7, 64, 100_000}) {
            assertEquals(expected, filtered(message, chunk), "in chunks of " + chunk);
        }
    }

    @Test
    void dropsTheFieldsWithTheirFoldedLinesAndNothingElse() {
        String message = "Received: from a\r\n\tby b\r\nX-Spam-Flag: NO\r\nSubject: hi\r\n"
                + "X-Spam-Status: No, score=-5\r\n\ttests=[ALL_TRUSTED]\r\n  more\r\nx-spam: yes\r\n"
                + "X-Spammer: kept\r\nX-Spam-Level : obsolete syntax\r\nX-Rspamd-Action: no action\r\n"
                + "From: a@x.test\r\n\r\nX-Spam-Flag: NO in the body stays\r\n\tfolded too\r\n";
        assertFiltered("Received: from a\r\n\tby b\r\nSubject: hi\r\nX-Spammer: kept\r\nFrom: a@x.test\r\n\r\n"
                + "X-Spam-Flag: NO in the body stays\r\n\tfolded too\r\n", message);
    }

    @Test
    void bareLineFeedsLongLinesAndAMessageWithoutBody() {
        assertFiltered("A: 1\nB: 2\n\nX-Spam: body\n", "A: 1\nX-Spam: x\n y\nB: 2\n\nX-Spam: body\n");
        String longName = "X-Spam-" + "z".repeat(200) + ": kept, too long to be a field we write\r\n";
        assertFiltered(longName + "\r\nbody", longName + "\r\nbody");
        assertFiltered("not a field\r\nSubject: x\r\n", "not a field\r\nX-Spam-Flag: YES\r\nSubject: x\r\n");
        assertFiltered("Subject: x\r\nX-Spam", "Subject: x\r\nX-Spam");
        assertFiltered("", "X-Spam-Flag: YES\r\n");
    }

    @Test
    void observingOnlyNotesWhetherThereIsOne() {
        HeaderFieldFilter with = new HeaderFieldFilter(SPAM);
        byte[] a = "Subject: x\r\nX-Spam-Fl".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "ag: NO\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII);
        with.observe(a, 0, a.length);
        assertFalse(with.found());
        with.observe(java.nio.ByteBuffer.wrap(b));
        assertTrue(with.found());
        assertTrue(with.headerDone());
        HeaderFieldFilter without = new HeaderFieldFilter(SPAM);
        byte[] c = "Subject: x\r\n\r\nX-Spam-Flag: YES\r\n".getBytes(StandardCharsets.US_ASCII);
        without.observe(c, 0, c.length);
        assertFalse(without.found(), "the body is not the header");
    }
}
