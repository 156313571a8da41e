package io.mailfleet.cluster.delivery;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The spf=, dkim=, dmarc= and arc= results of the delivery log line, from our own field only. */
class AuthenticationLogFieldsTest {

    private static String of(String header) {
        return AuthenticationLogFields.of(header.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void ourFieldAboveOurReceivedIsRead() {
        assertEquals(" spf=pass dkim=pass,fail dmarc=fail arc=none", of("Authentication-Results: mail.example.com;\r\n"
                + "\tspf=pass smtp.mailfrom=x@a.test;\r\n"
                + "\tdkim=pass (good signature; really) header.d=a.test header.s=\"s;1\";\r\n"
                + "\tdkim=fail (body hash did not verify \\(l=\\)) header.d=b.test;\r\n"
                + "\tdmarc=fail (p=reject dis=none; no aligned SPF or DKIM pass) header.from=c.test;\r\n"
                + "\tarc=none (no ARC sets) smtp.remote-ip=192.0.2.1\r\n"
                + "X-Spam-Flag: YES\r\n"
                + "Received-SPF: pass (mail.example.com: x) client-ip=192.0.2.1\r\n"
                + "Received: from c ([192.0.2.1])\r\n\tby mail.example.com (Mailfleet) with ESMTP id 1\r\n"
                + "From: a@c.test\r\n\r\n"));
    }

    @Test
    void aFieldBelowOurReceivedIsTheClientsAndIgnored() {
        assertEquals("", of("Received: from c ([192.0.2.1])\r\n\tby mail.example.com (Mailfleet) with ESMTPSA id 1\r\n"
                + "Authentication-Results: mail.example.com; spf=pass; dkim=pass; dmarc=pass\r\n"
                + "From: a@c.test\r\n\r\n"));
        assertEquals("", of("From: a@c.test\r\nSubject: generated here\r\n\r\n"));
        assertEquals("", AuthenticationLogFields.of(null));
        assertEquals("", of("Authentication-Results: mail.example.com; none\r\n\r\n"));
    }
}
