package io.mailfleet.server.inbound.dmarcrpt;

import io.mailfleet.core.auth.dmarc.DmarcRecord;
import io.mailfleet.core.auth.dmarc.DmarcResult;
import io.mailfleet.core.auth.dmarc.report.DmarcFailure;
import io.mailfleet.core.auth.results.AuthenticationResults;
import io.mailfleet.core.auth.spf.SpfOutcome;
import io.mailfleet.core.auth.spf.SpfResult;
import io.mailfleet.core.dkim.DkimResult;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The AFRF failure report (RFC 6591): a fo=d signature failure, a header section with 8-bit bytes. */
class DmarcFailureReportMessageTest {

    @Test
    void aSignatureFailureNamesTheSignatureAndQuotesTheHeaderAsIs() throws Exception {
        DmarcResult dmarc = new DmarcResult(DmarcResult.Status.PASS, "example.com", DmarcRecord.Policy.QUARANTINE,
                DmarcRecord.Policy.NONE, "SPF aligned (example.com)", "example.com", false, true);
        AuthenticationResults r = new AuthenticationResults("mx.example.net",
                new SpfOutcome(SpfResult.PASS, "a@example.com", false),
                List.of(new DkimResult("example.com", "sel", DkimResult.Status.FAIL, "body hash did not verify",
                        "@example.com", "rsa-sha256", "abcdefgh", -1, false)), 0, dmarc);
        String header = "Received: from c ([192.0.2.1])\r\n\tby mx.example.net\r\nFrom: J\u00fcrgen <a@example.com>\r\n"
                + "Subject: hi\r\n";
        DmarcFailure f = new DmarcFailure(r, "a@example.com", "192.0.2.1", Instant.parse("2026-12-07T09:00:00Z"), header);
        byte[] bytes = DmarcFailureReportMessage.build("dmarc@mx.example.net", "ruf@example.com", "mx.example.net", f,
                Instant.parse("2026-12-07T09:00:01Z"));
        assertTrue(DmarcFailureReportMessage.eightBit(f));

        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
        MimeMultipart parts = (MimeMultipart) m.getContent();
        assertEquals(3, parts.getCount());
        InternetHeaders fields;
        try (InputStream in = parts.getBodyPart(1).getInputStream()) {
            fields = new InternetHeaders(in);
        }
        assertEquals("signature", fields.getHeader("Auth-Failure")[0]);
        assertEquals("delivered", fields.getHeader("Delivery-Result")[0]);
        assertEquals("spf", fields.getHeader("Identity-Alignment")[0]);
        assertEquals("example.com", fields.getHeader("DKIM-Domain")[0]);
        assertEquals("sel", fields.getHeader("DKIM-Selector")[0]);
        assertEquals("@example.com", fields.getHeader("DKIM-Identity")[0]);
        assertEquals("dns; mx.example.net", fields.getHeader("Reporting-MTA")[0]);
        assertEquals("Mon, 7 Dec 2026 09:00:00 GMT", fields.getHeader("Arrival-Date")[0]);
        String quoted;
        try (InputStream in = parts.getBodyPart(2).getInputStream()) {
            quoted = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        assertEquals(header, quoted);
        assertTrue(quoted.contains("From: J\u00fcrgen <a@example.com>"), quoted);
        assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains("dis=quarantine"));
    }
}
