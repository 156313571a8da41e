package io.mailfleet.protocols.smtp.policy;

import io.mailfleet.protocols.smtp.SmtpReply;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecipientValidationTest {

    private static RecipientValidation.Result mx(String rcpt, boolean relay, String helo) {
        return RecipientValidation.check(rcpt, false, "postmaster@example.com", false, null, relay, helo, "192.0.2.7");
    }

    @Test
    void aBarePostmasterGoesToThePostmasterAddress() {
        var v = assertInstanceOf(RecipientValidation.Valid.class, mx("PostMaster", false, "client.example.org"));
        assertEquals("postmaster@example.com", v.recipient());
        assertTrue(v.barePostmaster());
        var other = assertInstanceOf(RecipientValidation.Valid.class, mx("alice+tag@example.com", false, "c.example.org"));
        assertFalse(other.barePostmaster());
        assertEquals("alice+tag@example.com", other.address().localPart() + "@" + other.address().domain());
        // without POSTMASTER_ADDRESS a bare postmaster is just a bad address
        var bare = RecipientValidation.check("postmaster", false, null, false, null, false, "c.example.org", "192.0.2.7");
        assertEquals("501 5.1.3 Bad recipient address syntax",
                assertInstanceOf(RecipientValidation.Invalid.class, bare).reply().line());
    }

    @Test
    void nonAsciiNeedsSmtpUtf8() {
        var bad = assertInstanceOf(RecipientValidation.Invalid.class, mx("j\u00f6rg@example.com", false, "c.example.org"));
        assertEquals(new SmtpReply(501, "5.1.3", "Bad recipient address syntax"), bad.reply());
        assertNull(bad.logReason(), "a syntax error is not a logged decision");
        assertNull(bad.abuseReason());
        assertInstanceOf(RecipientValidation.Valid.class, RecipientValidation.check("j\u00f6rg@example.com", true,
                null, false, null, false, "c.example.org", "192.0.2.7"));
    }

    @Test
    void submissionNeedsALogin() {
        var bad = assertInstanceOf(RecipientValidation.Invalid.class, RecipientValidation.check("alice@example.com",
                false, null, true, null, false, "c.example.org", "192.0.2.7"));
        assertEquals("554 5.7.1 <unknown[192.0.2.7]>: Client host rejected: Access denied", bad.reply().line());
        assertEquals("unauthenticated submission", bad.logReason());
        assertInstanceOf(RecipientValidation.Valid.class, RecipientValidation.check("alice@example.com", false, null,
                true, "alice@example.com", true, "laptop", "192.0.2.7"));
    }

    @Test
    void aNonFqdnHeloIsRefusedOnlyToClientsThatMayNotRelay() {
        var bad = assertInstanceOf(RecipientValidation.Invalid.class, mx("alice@example.com", false, "laptop"));
        assertEquals("504 5.5.2 <laptop>: Helo command rejected: need fully-qualified hostname", bad.reply().line());
        assertEquals("non-FQDN HELO laptop", bad.logReason());
        assertEquals("non-FQDN HELO", bad.abuseReason());
        assertInstanceOf(RecipientValidation.Valid.class, mx("alice@example.com", true, "laptop"));
        assertInstanceOf(RecipientValidation.Valid.class, mx("alice@example.com", false, "[192.0.2.7]"));
    }

    @Test
    void senderAddresses() {
        assertEquals(Optional.empty(), SenderValidation.refusal("", false));
        assertEquals(Optional.empty(), SenderValidation.refusal("a@example.org", false));
        assertEquals("501 5.1.7 Bad sender address syntax", SenderValidation.refusal("a@", false).orElseThrow().line());
        assertEquals("553 5.6.7 <j\u00f6rg@example.org>: Sender address rejected: non-ASCII address needs SMTPUTF8",
                SenderValidation.refusal("j\u00f6rg@example.org", false).orElseThrow().line());
        assertEquals(Optional.empty(), SenderValidation.refusal("j\u00f6rg@example.org", true));
    }
}
