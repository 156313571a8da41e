package io.mailfleet.protocols.outbound;

import io.mailfleet.core.queue.EnvelopeRecipient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each TLS level against a sink presenting certificates from a test CA (valid, expired, wrong
 * name, self-signed), with STARTTLS offered or not: delivery, or a deferral that sends nothing.
 */
class OutboundTlsPolicyTest {

    private static final byte[] MESSAGE = "Subject: tls\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8);

    private static TestCa ca;
    private static SSLContext valid;
    private static SSLContext expired;
    private static SSLContext wrongName;
    private static SSLContext selfSigned;
    private static OutboundClient client;

    private final List<SinkSmtpServer> sinks = new ArrayList<>();

    @BeforeAll
    static void certificates(@TempDir Path dir) throws Exception {
        ca = new TestCa("Mailfleet Test CA");
        valid = ca.server("mx.dest.test");
        expired = ca.expired("mx.dest.test");
        wrongName = ca.server("other.example");
        selfSigned = TestCa.selfSigned("mx.dest.test");
        Path pem = ca.writePem(dir.resolve("ca.pem"));
        client = new OutboundClient(OutboundSettings.defaults().withIdle(0, Duration.ofSeconds(1))
                .withTimeouts(OutboundTimeouts.uniform(Duration.ofSeconds(5))), OutboundTrust.caFile(pem));
    }

    @AfterAll
    static void stopClient() {
        client.close();
    }

    @AfterEach
    void stopSinks() throws Exception {
        for (SinkSmtpServer s : sinks) {
            s.close();
        }
    }

    private SinkSmtpServer sink(SSLContext cert) throws Exception {
        SinkSmtpServer s = new SinkSmtpServer();
        s.starttls = cert != null;
        s.tlsContext = cert;
        sinks.add(s);
        return s;
    }

    private static DeliveryResult deliver(SinkSmtpServer mx, String mxName, String destination, TlsPolicy level,
                                          List<String> match) {
        OutboundEnvelope env = new OutboundEnvelope("sender@src.test", List.of(EnvelopeRecipient.of("a@dest.test")),
                null, null, BodyType.SEVEN_BIT, false);
        Delivery d = new Delivery(destination, List.of(mx.target(mxName)), "mail.src.test", env,
                MessageSource.of(MESSAGE), level, null, match);
        return client.deliver(d).toCompletableFuture().join();
    }

    private static DeliveryResult deliver(SinkSmtpServer mx, TlsPolicy level) {
        return deliver(mx, "mx.dest.test", "dest.test", level, List.of());
    }

    private static void assertDeferred(DeliveryResult r, SinkSmtpServer mx, String status, String diagnostic) {
        RecipientResult rr = r.recipients().get(0);
        assertEquals(Outcome.TEMPORARY, rr.outcome(), rr.toString());
        assertEquals(status, rr.status(), rr.toString());
        assertTrue(rr.diagnostic().contains(diagnostic), rr.diagnostic());
        assertTrue(mx.received.isEmpty(), "nothing may be sent");
        assertTrue(mx.commands.stream().noneMatch(c -> c.startsWith("MAIL")), mx.commands.toString());
    }

    private static void assertDelivered(DeliveryResult r, SinkSmtpServer mx, boolean tls) {
        assertTrue(r.allDelivered(), r.toString());
        assertEquals(1, mx.received.size());
        assertEquals(tls, mx.received.get(0).tls());
    }

    @Test
    void verifyDeliversToAValidCertificateForTheMxName() throws Exception {
        SinkSmtpServer mx = sink(valid);
        assertDelivered(deliver(mx, TlsPolicy.VERIFY), mx, true);
    }

    @Test
    void verifyDefersAnExpiredCertificate() throws Exception {
        SinkSmtpServer mx = sink(expired);
        assertDeferred(deliver(mx, TlsPolicy.VERIFY), mx, "4.7.5", "TLS handshake");
    }

    @Test
    void verifyDefersACertificateForAnotherName() throws Exception {
        SinkSmtpServer mx = sink(wrongName);
        assertDeferred(deliver(mx, TlsPolicy.VERIFY), mx, "4.7.5", "server certificate not verified");
    }

    @Test
    void verifyDefersASelfSignedCertificate() throws Exception {
        SinkSmtpServer mx = sink(selfSigned);
        assertDeferred(deliver(mx, TlsPolicy.VERIFY), mx, "4.7.5", "TLS handshake");
    }

    @Test
    void verifyAndSecureDeferWhenStarttlsIsNotOffered() throws Exception {
        SinkSmtpServer mx = sink(null);
        assertDeferred(deliver(mx, TlsPolicy.VERIFY), mx, "4.7.4", "TLS is required but was not offered");
        assertDeferred(deliver(mx, TlsPolicy.SECURE), mx, "4.7.4", "TLS is required but was not offered");
    }

    @Test
    void verifyAcceptsAMatchNameInsteadOfTheMxName() throws Exception {
        SinkSmtpServer mx = sink(wrongName);
        assertDelivered(deliver(mx, "mx.dest.test", "dest.test", TlsPolicy.VERIFY, List.of("other.example")), mx, true);
    }

    @Test
    void secureMatchesTheNexthopNotTheMxHostname() throws Exception {
        // Default secure match is nexthop:dot-nexthop; mx.dest.test is below the nexthop dest.test.
        SinkSmtpServer ok = sink(valid);
        assertDelivered(deliver(ok, TlsPolicy.SECURE), ok, true);
        // The MX name from (unsigned) DNS is not trusted at secure: a certificate for it alone does not do.
        SinkSmtpServer mx = sink(wrongName);
        assertDeferred(deliver(mx, "other.example", "dest.test", TlsPolicy.SECURE, List.of()), mx, "4.7.5",
                "match none of nexthop, dot-nexthop");
    }

    @Test
    void secureWithALiteralMatchForARelay() throws Exception {
        SinkSmtpServer relay = sink(wrongName);
        assertDelivered(deliver(relay, "relay.example", "[relay.example]:587", TlsPolicy.SECURE,
                List.of("other.example")), relay, true);
        SinkSmtpServer other = sink(wrongName);
        assertDeferred(deliver(other, "relay.example", "[relay.example]:587", TlsPolicy.SECURE,
                List.of("relay.example")), other, "4.7.5", "match none of relay.example");
    }

    @Test
    void encryptAndMayDoNotVerifyTheCertificate() throws Exception {
        SinkSmtpServer a = sink(selfSigned);
        assertDelivered(deliver(a, TlsPolicy.ENCRYPT), a, true);
        SinkSmtpServer b = sink(expired);
        assertDelivered(deliver(b, TlsPolicy.MAY), b, true);
    }

    @Test
    void encryptDefersWithoutStarttls() throws Exception {
        SinkSmtpServer mx = sink(null);
        assertDeferred(deliver(mx, TlsPolicy.ENCRYPT), mx, "4.7.4", "TLS is required but was not offered");
    }

    @Test
    void aServerThatClosesDuringTheHandshakeDefersMandatoryLevelsAndMayRetriesInPlainText() throws Exception {
        for (TlsPolicy level : List.of(TlsPolicy.ENCRYPT, TlsPolicy.VERIFY, TlsPolicy.SECURE)) {
            SinkSmtpServer mx = sink(valid);
            mx.closeAtStartTls = true;
            assertDeferred(deliver(mx, level), mx, "4.7.5", "TLS handshake");
        }
        SinkSmtpServer mx = sink(valid);
        mx.closeAtStartTls = true;
        assertDelivered(deliver(mx, TlsPolicy.MAY), mx, false);
    }

    @Test
    void noneNeverStartsTls() throws Exception {
        SinkSmtpServer mx = sink(valid);
        assertDelivered(deliver(mx, TlsPolicy.NONE), mx, false);
        assertFalse(mx.commands.contains("STARTTLS"));
    }

    @Test
    void daneWithoutSecureTlsaRecordsBehavesAsMay() throws Exception {
        // The transport found no DNSSEC-validated TLSA records (DaneDeliveryTest covers the look-ups).
        SinkSmtpServer plain = sink(null);
        assertDelivered(deliver(plain, TlsPolicy.DANE), plain, false);
        SinkSmtpServer tls = sink(selfSigned);
        assertDelivered(deliver(tls, TlsPolicy.DANE), tls, true);
    }

    @Test
    void daneOnlyWithoutUsableTlsaRecordsDefersWithoutConnecting() throws Exception {
        SinkSmtpServer mx = sink(valid);
        assertDeferred(deliver(mx, TlsPolicy.DANE_ONLY), mx, "4.7.5", "has no usable DNSSEC-validated TLSA records");
        assertTrue(mx.commands.isEmpty(), mx.commands.toString());
    }

    @Test
    void theSystemTrustStoreDoesNotTrustTheTestCa() throws Exception {
        SinkSmtpServer mx = sink(valid);
        try (OutboundClient system = new OutboundClient(OutboundSettings.defaults()
                .withTimeouts(OutboundTimeouts.uniform(Duration.ofSeconds(5))))) {
            Delivery d = new Delivery("dest.test", List.of(mx.target("mx.dest.test")), "mail.src.test",
                    new OutboundEnvelope("sender@src.test", List.of(EnvelopeRecipient.of("a@dest.test")), null, null,
                            BodyType.SEVEN_BIT, false), MessageSource.of(MESSAGE), TlsPolicy.VERIFY, null);
            assertDeferred(system.deliver(d).toCompletableFuture().join(), mx, "4.7.5", "TLS handshake");
        }
    }

    @Test
    void aCaFileWithoutCertificatesIsRejected(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> OutboundTrust.caFile(empty));
        assertTrue(e.getMessage().contains("empty.pem"), e.getMessage());
    }
}
