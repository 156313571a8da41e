package io.mailfleet.core.spam;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Entry forms as SpamAssassin's {@code whitelist_from} and Rspamd's multimap users write them, and which entry wins. */
class SenderListsTest {

    @Test
    void entriesAreNormalizedAndGarbageIsRefused() {
        assertEquals(Optional.of("user@x.test"), SenderEntry.normalize(" <User@X.Test> "));
        assertEquals(Optional.of("x.test"), SenderEntry.normalize("*@X.test"));
        assertEquals(Optional.of("x.test"), SenderEntry.normalize("@x.test."));
        assertEquals(Optional.of("*.x.test"), SenderEntry.normalize("*.x.test"));
        for (String bad : List.of("", "x", "*", "*.test", "a@b", "a b@x.test", "x..test", "-x.test", "*x.test",
                "a@*.x.test", "x.test/24", "\"a\"@x.test", "a@@x.test")) {
            assertEquals(Optional.empty(), SenderEntry.normalize(bad), bad);
        }
    }

    @Test
    void entriesMatchAddressesDomainsAndSubdomains() {
        assertTrue(SenderEntry.matches("user@x.test", "USER@x.TEST"));
        assertFalse(SenderEntry.matches("user@x.test", "user+tag@x.test"));
        assertTrue(SenderEntry.matches("x.test", "anyone@x.test"));
        assertFalse(SenderEntry.matches("x.test", "anyone@sub.x.test"), "a domain is that domain only");
        assertTrue(SenderEntry.matches("*.x.test", "anyone@sub.x.test"));
        assertTrue(SenderEntry.matches("*.x.test", "anyone@a.b.x.test"));
        assertTrue(SenderEntry.matches("*.x.test", "anyone@x.test"));
        assertFalse(SenderEntry.matches("*.x.test", "anyone@evilx.test"));
        assertFalse(SenderEntry.matches("x.test", ""), "the null sender is never listed");
    }

    @Test
    void theMostSpecificEntryDecidesAndTheBlockListWinsATie() {
        SenderLists l = new SenderLists(List.of("boss@x.test", "*.partner.test"), List.of("x.test", "partner.test"));
        assertEquals(SenderLists.Listed.ALLOWED, l.listed("boss@x.test"));
        assertEquals(SenderLists.Listed.BLOCKED, l.listed("intern@x.test"));
        assertEquals(SenderLists.Listed.BLOCKED, l.listed("a@partner.test"), "the domain beats *.domain");
        assertEquals(SenderLists.Listed.ALLOWED, l.listed("a@mail.partner.test"));
        assertEquals(SenderLists.Listed.NONE, l.listed("a@other.test"));
        assertEquals(SenderLists.Listed.BLOCKED,
                new SenderLists(List.of("x.test"), List.of("x.test")).listed("a@x.test"), "a tie blocks");
        assertEquals(SenderLists.Listed.NONE, SenderLists.EMPTY.listed(""));
    }
}
