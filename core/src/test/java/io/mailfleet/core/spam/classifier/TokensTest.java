package io.mailfleet.core.spam.classifier;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tokenizer's words beyond plain text: a URL's site and an address's domain as tokens of their own,
 * header words cut at word boundaries before their field's prefix, the header's shape (field names,
 * Message-ID domain, Date zone), and the MIME structure as words.
 */
class TokensTest {

    @Test
    void aUrlAlsoGivesItsHostAndItsLastTwoLabels() {
        List<String> t = Tokens.of("Visit http://Deals.Shop.example.com/buy?id=7 now");
        assertEquals(List.of("visit", "http://deals.shop.example.com/buy", "url:deals.shop.example.com",
                "url:example.com", "id", "now"), t);
        assertEquals(List.of("www.example.org/x", "url:www.example.org", "url:example.org"), Tokens.of("www.example.org/x"));
        assertEquals(List.of("https://user@10.1.2.3:8080/p", "url:ip"), Tokens.of("https://user@10.1.2.3:8080/p"));
        assertEquals(List.of("http://localhost"), Tokens.of("http://localhost"), "no dot: no site token");
    }

    @Test
    void anAddressAlsoGivesItsDomainAlsoInAHeaderWord() {
        assertEquals(List.of("bob@mail.example.net", "email:mail.example.net"), Tokens.of("bob@mail.example.net"));
        assertEquals(List.of("from:bob@example.net", "email:example.net"), Tokens.of("from:bob@example.net"));
        assertEquals(List.of("price", "10"), Tokens.of("price 10$."), "trailing joiners are dropped");
        assertEquals(List.of("a@b"), Tokens.of("a@b"), "no dot: no domain token");
    }

    @Test
    void headerWordsAreCutBeforeTheyArePrefixed() {
        StringBuilder out = new StringBuilder();
        MessageText.prefixed("from", "\"Bob Smith\" <bob@example.com> (via list)", out);
        assertEquals("from:Bob from:Smith from:bob@example.com from:via from:list \n", out.toString());
        assertTrue(Tokens.of(out.toString()).containsAll(List.of("from:bob", "from:smith", "from:bob@example.com",
                "email:example.com")));
    }

    @Test
    void theHeaderShapeBecomesWordsEvenOfFieldsWhoseValuesAreSkipped() {
        String m = "Received: from relay.example.net\r\nMessage-ID: <1234.abc@mailer.example.org>\r\n"
                + "Date: Mon, 7 Dec 2026 10:00:00 -0500\r\nX-MSMail-Priority: Normal\r\nTo: alice@example.com\r\n"
                + "Subject: hi\r\n\r\nbody\r\n";
        List<String> t = Tokens.of(MessageText.of(m.getBytes(StandardCharsets.US_ASCII)));
        assertTrue(t.containsAll(List.of("hdr:received", "hdr:message-id", "hdr:date", "hdr:x-msmail-priority", "hdr:to",
                "message-id:mailer.example.org", "date:m0500", "x-msmail-priority:normal", "subject:hi")), t.toString());
        assertFalse(t.stream().anyMatch(w -> w.contains("1234") || w.contains("alice")),
                "the values unique to each message stay out: " + t);
        StringBuilder noAt = new StringBuilder();
        MessageText.shape("message-id", "<no-domain-here>", noAt);
        MessageText.shape("date", "(garbage)", noAt);
        assertEquals("hdr:message-id message-id:noat hdr:date date:none ", noAt.toString());
    }

    @Test
    void theMimeStructureBecomesWords() {
        String m = "Subject: hi\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\n"
                + "Content-Type: text/plain; charset=windows-1252\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "caf=E9 ouvert\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>hello</p>\r\n--b--\r\n";
        List<String> t = Tokens.of(MessageText.of(m.getBytes(StandardCharsets.US_ASCII)));
        assertTrue(t.containsAll(List.of("mime:multipart/alternative", "mime:text/plain", "cte:quoted-printable",
                "charset:windows-1252", "mime:text/html", "café", "ouvert", "hello")), t.toString());
        assertFalse(t.contains("cte:7bit"), t.toString());
    }
}
