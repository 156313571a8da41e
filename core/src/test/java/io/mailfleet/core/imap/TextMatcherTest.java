package io.mailfleet.core.imap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class TextMatcherTest {

    /** A reader handing out one character per read, so every match spans reads. */
    private static Reader trickle(String s) {
        return new Reader() {
            private int pos;

            @Override
            public int read(char[] buf, int off, int len) {
                if (pos >= s.length()) {
                    return -1;
                }
                buf[off] = s.charAt(pos++);
                return 1;
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void findsCaseInsensitivelyAcrossReadsAndAfterFalseStarts() throws IOException {
        TextMatcher m = new TextMatcher("AbAbC");
        assertTrue(m.in(trickle("xx ababababc yy")));
        assertTrue(m.in(new StringReader("ABABC")));
        assertFalse(m.in(trickle("ababab abc")));
        assertTrue(new TextMatcher("Grüße").in("viele GRÜSSE? nein: grüße"));
        assertFalse(new TextMatcher("needle").in("needl"));
        assertTrue(new TextMatcher("").in("anything"));
    }

    @Test
    void aLongTextIsScannedWithoutHoldingIt() throws IOException {
        Reader endless = new Reader() {
            private long left = 50_000_000;

            @Override
            public int read(char[] buf, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(buf, off, off + n, 'a');
                left -= n;
                if (left == 0) {
                    buf[off + n - 1] = 'z';
                }
                return n;
            }

            @Override
            public void close() {
            }
        };
        assertTrue(new TextMatcher("aaz").in(endless));
    }
}
