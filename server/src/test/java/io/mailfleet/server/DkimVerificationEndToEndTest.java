package io.mailfleet.server;

import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.core.dkim.DkimKeys;
import io.mailfleet.core.dkim.DkimSigner;
import io.mailfleet.core.dkim.DkimSigningKey;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole node receiving DKIM-signed mail on port 25 from an Internet client (127.0.0.1 with
 * TRUSTED_NETWORKS elsewhere), keys and SPF served by a DNS server on loopback: the stored message
 * carries one Authentication-Results field of ours with the SPF result and dkim=pass, a body changed
 * after signing gives dkim=fail, a forged field with our authserv-id is gone, one of another host stays,
 * and ENABLE_OPENDKIM=0 adds nothing.
 */
class DkimVerificationEndToEndTest {

    private static final Pattern OURS = Pattern.compile("(?m)^Authentication-Results: mail\\.example\\.com;");

    @TempDir
    Path data;
    private TestDnsServer dns;
    private DkimSigner signer;

    @BeforeEach
    void zone() throws Exception {
        KeyPair pair = DkimKeys.generateRsa(2048);
        signer = new DkimSigner(new DkimSigningKey("signer.test", "mail", pair.getPrivate()), Clock.systemUTC());
        dns = new TestDnsServer().txt("signer.test", "v=spf1 ip4:127.0.0.0/8 -all")
                .txt("mail._domainkey.signer.test", DkimKeys.dnsRecord(pair.getPublic()));
    }

    @AfterEach
    void stop() throws Exception {
        dns.close();
    }

    private Map<String, String> env(String opendkim) throws Exception {
        var s = dns.settings(Duration.ofSeconds(2)).server();
        return TestServers.env(data, Map.of("ENABLE_OPENDKIM", opendkim, "ENABLE_POLICYD_SPF", "1", "TRUSTED_NETWORKS", "192.0.2.1/32",
                "MAILFLEET_DNS_SERVER", s.getAddress().getHostAddress() + ":" + s.getPort()));
    }

    private String signed(String subject, String body) throws Exception {
        String message = "From: Sender <x@signer.test>\r\nTo: user@example.com\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject.replace(' ', '-') + "@signer.test>\r\n\r\n" + body;
        String field = signer.sign(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
        return field + message;
    }

    private static void send(int port, String message) throws Exception {
        try (Wire c = Wire.from(Wire.Protocol.LINES, "127.0.0.1", port).resetIsEnd()) {
            assertTrue(c.line().startsWith("220 "));
            c.send("EHLO client.remote.example");
            c.until("250 ");
            c.send("MAIL FROM:<x@signer.test>");
            assertEquals("250 2.1.0 Ok", c.line());
            c.send("RCPT TO:<user@example.com>");
            assertTrue(c.line().startsWith("250 "));
            c.send("DATA");
            assertTrue(c.line().startsWith("354 "));
            c.send(message.endsWith("\r\n") ? message + "." : message + "\r\n.");
            String reply = c.line();
            assertTrue(reply.startsWith("250 2.0.0 Ok: queued as "), reply);
        }
    }

    private static String stored(MailfleetServer server, MessageMeta meta) throws Exception {
        try (InputStream in = server.blobs().open(meta.blob())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String bySubject(MailfleetServer server, List<MessageMeta> inbox, String subject) throws Exception {
        for (MessageMeta m : inbox) {
            String text = stored(server, m);
            if (text.contains("Subject: " + subject + "\r\n")) {
                return text;
            }
        }
        throw new AssertionError("no message with subject " + subject);
    }

    private static int count(Pattern p, String text) {
        Matcher m = p.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void signedMailPassesTamperedMailFailsAndAForgedResultIsRemoved() throws Exception {
        try (MailfleetServer server = TestServers.start(env("1"), new FirstAccount("user@example.com", "secret", false))) {
            int mx = server.listeners().smtpPorts().get(SmtpMode.MX);
            // forged results below the signature: not signed, so removing ours does not break the signature
            String good = signed("signed mail", "Hello,\r\nthis is signed.\r\n")
                    .replace("To: user@example.com\r\n", "To: user@example.com\r\n"
                            + "Authentication-Results: mail.example.com; dkim=pass header.d=bank.example\r\n"
                            + "Authentication-Results: (forged, folded)\r\n\tMAIL.example.com; spf=pass\r\n"
                            + "Authentication-Results: relay.other.example; dkim=pass header.d=other.example\r\n");
            send(mx, good);
            send(mx, signed("tampered mail", "Pay 10 EUR.\r\n").replace("Pay 10 EUR.", "Pay 9999 EUR."));
            send(mx, "From: nobody@signer.test\r\nSubject: unsigned mail\r\n\r\nhi\r\n");

            List<MessageMeta> inbox = SmtpDeliveryEndToEndTest.awaitInbox(server, "user@example.com", 3);
            String pass = bySubject(server, inbox, "signed mail");
            assertTrue(pass.startsWith("Authentication-Results: mail.example.com;\r\n\tspf=pass smtp.mailfrom=x@signer.test;"
                    + "\r\n\tdkim=pass (good signature) header.d=signer.test header.i=@signer.test header.s=mail"
                    + " header.a=rsa-sha256 header.b="), pass);
            assertEquals(1, count(OURS, pass), pass);
            assertFalse(pass.contains("bank.example"), pass);
            assertFalse(pass.contains("(forged, folded)"), pass);
            assertTrue(pass.contains("Authentication-Results: relay.other.example; dkim=pass header.d=other.example\r\n"),
                    pass);

            String fail = bySubject(server, inbox, "tampered mail");
            assertTrue(fail.startsWith("Authentication-Results: mail.example.com;\r\n\tspf=pass smtp.mailfrom=x@signer.test;"
                    + "\r\n\tdkim=fail (body hash did not verify) header.d=signer.test"), fail);

            String none = bySubject(server, inbox, "unsigned mail");
            assertTrue(none.startsWith("Authentication-Results: mail.example.com;\r\n\tspf=pass smtp.mailfrom=x@signer.test;"
                    + "\r\n\tdkim=none;\r\n\tdmarc=none (no DMARC record) header.from=signer.test;\r\n\tarc=none (no ARC sets) smtp.remote-ip=127.0.0.1\r\nReceived-SPF: pass "),
                    none);
            assertEquals(Map.of("dkim=pass", 1L, "dkim=fail", 1L, "dkim=none", 1L, "spf=pass", 3L, "dmarc=none", 3L,
                    "arc=none", 3L),
                    io.mailfleet.server.inbound.AuthenticationCounters.get(server.system()).snapshot());
        }
    }

    /** {@code message} signed by Debian's dkimsign (dkimpy) with {@code key}; the signed message it prints. */
    private static String dkimsign(String message, String selector, Path key, String alg) throws Exception {
        Path dkimsign = io.mailfleet.testkit.ExternalTool.require("dkimsign", "python3-dkim");
        Process p = new ProcessBuilder(dkimsign.toString(), "--signalg", alg, selector, "signer.test", key.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var in = p.getOutputStream()) {
            in.write(message.getBytes(StandardCharsets.US_ASCII));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void mailSignedTwiceByDkimpyPassesOverSmtp() throws Exception {
        KeyPair rsa = DkimKeys.generateRsa(2048);
        KeyPair ed = DkimKeys.generateEd25519();
        dns.txt("py._domainkey.signer.test", DkimKeys.dnsRecord(rsa.getPublic()))
                .txt("pyed._domainkey.signer.test", DkimKeys.dnsRecord(ed.getPublic()));
        Path rsaKey = data.resolve("py.pem");
        java.nio.file.Files.writeString(rsaKey, DkimKeys.toPem(rsa.getPrivate()));
        Path edKey = data.resolve("pyed.key");
        byte[] pkcs8 = ed.getPrivate().getEncoded();
        java.nio.file.Files.writeString(edKey, java.util.Base64.getEncoder().encodeToString(
                java.util.Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length)));
        String message = "From: Sender <x@signer.test>\r\nTo: user@example.com\r\nSubject: dkimpy\r\n\r\n"
                + "Signed  by a third party.\r\n";
        String signed = dkimsign(dkimsign(message, "py", rsaKey, "rsa-sha256"), "pyed", edKey, "ed25519-sha256");
        try (MailfleetServer server = TestServers.start(env("1"), new FirstAccount("user@example.com", "secret", false))) {
            send(server.listeners().smtpPorts().get(SmtpMode.MX), signed);
            String text = stored(server, SmtpDeliveryEndToEndTest.awaitInbox(server, "user@example.com", 1).get(0));
            assertTrue(text.contains("\tdkim=pass (good signature) header.d=signer.test header.i=@signer.test"
                    + " header.s=pyed header.a=ed25519-sha256 header.b="), text);
            assertTrue(text.contains("\tdkim=pass (good signature) header.d=signer.test header.i=@signer.test"
                    + " header.s=py header.a=rsa-sha256 header.b="), text);
        }
    }

    @Test
    void enableOpendkimZeroAddsNoResultsButStillRemovesForgedOnes() throws Exception {
        try (MailfleetServer server = TestServers.start(env("0"), new FirstAccount("user@example.com", "secret", false))) {
            int mx = server.listeners().smtpPorts().get(SmtpMode.MX);
            send(mx, signed("no verification", "hi\r\n").replace("To: user@example.com\r\n",
                    "To: user@example.com\r\nAuthentication-Results: mail.example.com; dkim=pass\r\n"));
            List<MessageMeta> inbox = SmtpDeliveryEndToEndTest.awaitInbox(server, "user@example.com", 1);
            String text = stored(server, inbox.get(0));
            assertTrue(text.startsWith("Received-SPF: pass "), text);
            assertEquals(0, count(OURS, text), text);
        }
        assertEquals(1, dns.queries.get(), "only the SPF record was asked for");
    }
}
