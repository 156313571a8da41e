package io.mailfleet.core.dsn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailfleet.core.queue.EnvelopeRecipient;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class BouncePolicyTest {
    @Test
    void neverBounceBouncesOrToTheDaemon() {
        assertFalse(BouncePolicy.mayBounce(""));
        assertFalse(BouncePolicy.mayBounce("<>"));
        assertFalse(BouncePolicy.mayBounce(null));
        assertFalse(BouncePolicy.mayBounce("MAILER-DAEMON@example.com"));
        assertFalse(BouncePolicy.mayBounce("mailer-daemon"));
        assertTrue(BouncePolicy.mayBounce("ada@example.com"));
        assertTrue(BouncePolicy.mayBounce("<ada@example.com>"));
    }

    @Test
    void notifyDefaultsAndParsing() {
        assertEquals(EnumSet.of(DsnNotify.FAILURE, DsnNotify.DELAY), BouncePolicy.notifyOf(null));
        assertEquals(EnumSet.of(DsnNotify.SUCCESS, DsnNotify.FAILURE), BouncePolicy.notifyOf("success, Failure"));
        assertEquals(EnumSet.of(DsnNotify.NEVER), BouncePolicy.notifyOf("NEVER"));
        assertThrows(IllegalArgumentException.class, () -> BouncePolicy.notifyOf("NEVER,FAILURE"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BouncePolicy.notifyOf("SOMETIMES"));
        assertTrue(e.getMessage().contains("SOMETIMES"));
    }

    @Test
    void shouldReportFollowsNotifyPerRecipient() {
        EnvelopeRecipient plain = EnvelopeRecipient.of("g@r.example");
        assertTrue(BouncePolicy.shouldReport("a@b", plain, DsnAction.FAILED));
        assertTrue(BouncePolicy.shouldReport("a@b", plain, DsnAction.DELAYED));
        assertFalse(BouncePolicy.shouldReport("a@b", plain, DsnAction.DELIVERED));
        assertFalse(BouncePolicy.shouldReport("", plain, DsnAction.FAILED));
        EnvelopeRecipient never = new EnvelopeRecipient("g@r.example", "NEVER", null);
        assertFalse(BouncePolicy.shouldReport("a@b", never, DsnAction.FAILED));
        assertFalse(BouncePolicy.shouldReport("a@b", never, DsnAction.DELAYED));
        EnvelopeRecipient success = new EnvelopeRecipient("g@r.example", "SUCCESS", null);
        assertTrue(BouncePolicy.shouldReport("a@b", success, DsnAction.DELIVERED));
        assertTrue(BouncePolicy.shouldReport("a@b", success, DsnAction.RELAYED));
        assertFalse(BouncePolicy.shouldReport("a@b", success, DsnAction.FAILED));
        assertFalse(BouncePolicy.shouldReport("a@b", new EnvelopeRecipient("g@r.example", "FAILURE", null), DsnAction.DELAYED));
    }

    @Test
    void retAndOrcpt() {
        assertTrue(BouncePolicy.returnFull("FULL"));
        assertTrue(BouncePolicy.returnFull("full"));
        assertFalse(BouncePolicy.returnFull("HDRS"));
        assertFalse(BouncePolicy.returnFull(null));
        assertEquals("rfc822; a+b=c@d.example", BouncePolicy.originalRecipient("rfc822;a+2Bb+3Dc@d.example"));
        assertNull(BouncePolicy.originalRecipient(null));
        assertNull(BouncePolicy.originalRecipient("rfc822;bad+zz"));
        assertNull(BouncePolicy.originalRecipient("noaddrtype"));
    }
}
