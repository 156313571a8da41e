package io.mailfleet.core.imap;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Modified UTF-7 (RFC 3501 §5.1.3): the RFC example, round trips, and strict refusal of bad input. */
class ModifiedUtf7Test {

    @Test
    void rfcExampleAndCommonNames() {
        // RFC 3501 §5.1.3: "~peter/mail/台北/日本語".
        assertEquals("~peter/mail/&U,BTFw-/&ZeVnLIqe-", ModifiedUtf7.encode("~peter/mail/台北/日本語"));
        assertEquals("~peter/mail/台北/日本語", ModifiedUtf7.decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-"));
        assertEquals("Entw&APw-rfe", ModifiedUtf7.encode("Entwürfe"));
        assertEquals("Tom &- Jerry", ModifiedUtf7.encode("Tom & Jerry"));
        assertEquals("Tom & Jerry", ModifiedUtf7.decode("Tom &- Jerry"));
        assertEquals("2024 &AMk-t&AOk-", ModifiedUtf7.encode("2024 Été"));
        assertEquals("&2D3eAA-", ModifiedUtf7.encode("😀"));
    }

    @Test
    void randomNamesRoundTrip() {
        Random r = new Random(11);
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = r.nextInt(10); k >= 0; k--) {
                int kind = r.nextInt(4);
                sb.appendCodePoint(kind == 0 ? 0x20 + r.nextInt(0x5f) : kind == 1 ? 0xa0 + r.nextInt(0x500)
                        : kind == 2 ? 0x4e00 + r.nextInt(0x100) : 0x1f600 + r.nextInt(0x40));
            }
            String name = sb.toString();
            String wire = ModifiedUtf7.encode(name);
            assertTrue(wire.chars().allMatch(c -> c >= 0x20 && c <= 0x7e), wire);
            assertEquals(name, ModifiedUtf7.decode(wire));
        }
    }

    @Test
    void malformedInputIsRefusedWithAReason() {
        for (String bad : new String[] {"&Jjo", "&U,BTFw", "&AGE-", "&A-", "&====-", "caf\u00e9", "&2D3e-", "a\tb"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode(bad),
                    bad);
            assertTrue(e.getMessage().contains("mailbox name") || e.getMessage().contains("modified UTF-7"),
                    e.getMessage());
        }
    }

    @Test
    void randomWireStringsNeverThrowAnythingElse() {
        Random r = new Random(3);
        String alphabet = "&-,+/AZaz09 é";
        for (int i = 0; i < 5000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = r.nextInt(12); k >= 0; k--) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            try {
                ModifiedUtf7.decode(sb.toString());
            } catch (IllegalArgumentException expected) {
                // the only failure a client can cause
            }
        }
    }
}
