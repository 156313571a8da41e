package io.mailfleet.protocols.outbound;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.dns.AsyncDnsResolver;
import io.mailfleet.core.dns.DnssecAnchors;
import io.mailfleet.core.dns.LoopbackDnsServer;
import io.mailfleet.core.dns.ResolverSettings;
import io.mailfleet.core.dns.SignedZone;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.core.service.RemoteTransport.Kind;
import io.mailfleet.core.service.RemoteTransport.RecipientOutcome;
import io.mailfleet.core.tlsrpt.TlsReportStore;
import io.mailfleet.core.tlsrpt.TlsSessionOutcome;
import io.mailfleet.persistence.blob.FileBlobStore;
import io.mailfleet.protocols.outbound.dane.DaneResolver;
import io.mailfleet.protocols.outbound.dane.TlsaMatcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DANE (RFC 7672) end to end through the outbound transport: zones signed in the test and served by
 * the loopback DNS server (the trust anchors are the test's keys), the node's resolver in its
 * validating mode, and sinks on 127.0.0.x presenting certificates from test CAs the client does
 * not trust. TLSA matches (DANE-EE, DANE-TA) are delivered over TLS; a mismatch, a bogus zone, and
 * an insecure zone at {@code dane-only} are deferred without a byte of the message sent; an insecure
 * zone at {@code dane} is delivered as at {@code may}.
 */
class DaneDeliveryTest {

    private static final byte[] MESSAGE = "Subject: dane\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8);

    private static LoopbackDnsServer dns;
    private static AsyncDnsResolver resolver;
    private static OutboundClient client;
    private static FileBlobStore blobs;
    private static BlobRef blob;
    private static final Map<String, SinkSmtpServer> SINKS = new java.util.HashMap<>();
    private static final List<TlsSessionOutcome> REPORTED = new CopyOnWriteArrayList<>();
    private static ListAppender<ILoggingEvent> log;
    private static MtaStsPolicyServer stsServer;
    private static io.mailfleet.protocols.outbound.https.HttpsClient https;
    private static io.mailfleet.protocols.outbound.sts.MtaStsResolver sts;
    /** An enforce policy listing none of the MX hosts: alone it defers every delivery. */
    private static final String FOREIGN_POLICY = "version: STSv1\nmode: enforce\nmx: mx.elsewhere.example\nmax_age: 86400\n";

    private static final String[] DOMAINS = {"ee", "ta", "mismatch", "plain", "bogus", "unusable", "notls", "tawrongname",
            "notlsa"};

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        TestCa untrusted = new TestCa("DANE Test CA (not in any trust store)");
        dns = new LoopbackDnsServer();
        StringBuilder anchors = new StringBuilder();
        int port = 0;
        for (int i = 0; i < DOMAINS.length; i++) {
            String d = DOMAINS[i] + ".test";
            String mx = "mx." + d;
            String ip = "127.0.0." + (70 + i);
            // DANE-EE ignores names: the "ee" sink's certificate names another host.
            TestCa.Issued cert = untrusted.issue(d.startsWith("ee.") ? "unrelated.example"
                    : d.startsWith("tawrongname.") ? "wrong.example" : mx);
            SinkSmtpServer sink = new SinkSmtpServer(InetAddress.getByName(ip), port);
            port = sink.port();
            sink.starttls = !d.startsWith("notls.");
            sink.tlsContext = cert.context();
            SINKS.put(DOMAINS[i], sink);
            List<Record> records = new ArrayList<>();
            records.add(new MXRecord(Name.fromString(d + "."), DClass.IN, 60, 10, Name.fromString(mx + ".")));
            records.add(new ARecord(Name.fromString(mx + "."), DClass.IN, 60, InetAddress.getByName(ip)));
            Name tlsa = Name.fromString("_" + port + "._tcp." + mx + ".");
            switch (DOMAINS[i]) {
                case "ee" -> {
                    records.add(tlsa(tlsa, 3, 1, 1, cert.certificate()));
                    // An unknown usage next to a good record is ignored (RFC 7672 §2.2).
                    records.add(new TLSARecord(tlsa, DClass.IN, 60, 7, 1, 1, new byte[32]));
                }
                case "ta", "tawrongname" -> records.add(tlsa(tlsa, 2, 0, 1, untrusted.certificate()));
                case "mismatch", "bogus" -> records.add(tlsa(tlsa, 3, 1, 1,
                        untrusted.issue("someone.else").certificate()));
                case "unusable" -> records.add(tlsa(tlsa, 1, 1, 1, cert.certificate()));
                case "notls" -> records.add(tlsa(tlsa, 3, 1, 1, cert.certificate()));
                default -> { }
            }
            if (DOMAINS[i].equals("plain")) {
                records.forEach(dns::add);
                continue;
            }
            SignedZone zone = DOMAINS[i].equals("bogus")
                    ? new SignedZone(d, Instant.now().minus(Duration.ofDays(20)), Instant.now().minus(Duration.ofDays(5)))
                    : new SignedZone(d);
            records.forEach(zone::add);
            zone.serveFrom(dns);
            anchors.append(zone.trustAnchor());
        }
        resolver = new AsyncDnsResolver(ResolverSettings.of(dns.address(), Duration.ofSeconds(5)),
                DnssecAnchors.text(anchors.toString()));
        // The client trusts only a CA that signed none of the sinks' certificates: DANE alone authenticates.
        Path otherCa = new TestCa("Some other CA").writePem(dir.resolve("other-ca.pem"));
        client = new OutboundClient(OutboundSettings.defaults().withIdle(0, Duration.ofSeconds(1))
                .withTimeouts(OutboundTimeouts.uniform(Duration.ofSeconds(5))), OutboundTrust.caFile(otherCa));
        blobs = new FileBlobStore(dir.resolve("blobs"));
        BlobWriter w = blobs.create();
        w.write(MESSAGE, 0, MESSAGE.length);
        blob = w.commit().toCompletableFuture().join();
        // MTA-STS enforce policies for ee.test (DANE applies: the policy is not used) and plain.test (it is).
        TestCa stsCa = new TestCa("MTA-STS CA");
        stsServer = new MtaStsPolicyServer(InetAddress.getByName("127.0.0.90"), 0,
                stsCa.server("mta-sts.ee.test", "mta-sts.plain.test"));
        stsServer.answer("ee.test", MtaStsPolicyServer.Answer.policy(FOREIGN_POLICY))
                .answer("plain.test", MtaStsPolicyServer.Answer.policy(FOREIGN_POLICY));
        for (String d : List.of("ee.test", "plain.test")) {
            dns.add(new org.xbill.DNS.TXTRecord(Name.fromString("_mta-sts." + d + "."), DClass.IN, 60, "v=STSv1; id=1;"));
            dns.add(new ARecord(Name.fromString("mta-sts." + d + "."), DClass.IN, 60, InetAddress.getByName("127.0.0.90")));
        }
        https = new io.mailfleet.protocols.outbound.https.HttpsClient(resolver,
                OutboundTrust.caFile(stsCa.writePem(dir.resolve("sts-ca.pem"))).factory());
        Map<String, io.mailfleet.core.mtasts.CachedPolicy> policies = new java.util.concurrent.ConcurrentHashMap<>();
        sts = new io.mailfleet.protocols.outbound.sts.MtaStsResolver(resolver, new io.mailfleet.core.mtasts.PolicyCache() {
            @Override
            public java.util.concurrent.CompletionStage<java.util.Optional<io.mailfleet.core.mtasts.CachedPolicy>> get(
                    String domain) {
                return java.util.concurrent.CompletableFuture.completedFuture(java.util.Optional.ofNullable(policies.get(domain)));
            }

            @Override
            public void put(io.mailfleet.core.mtasts.CachedPolicy policy) {
                policies.put(policy.domain(), policy);
            }
        }, new io.mailfleet.protocols.outbound.sts.PolicyFetcher(https, stsServer.port(), Duration.ofSeconds(5)), 604800,
                Clock.systemUTC());
        log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(OutboundClient.class)).addAppender(log);
        ((Logger) LoggerFactory.getLogger(OutboundClient.class)).setLevel(ch.qos.logback.classic.Level.INFO);
        ((Logger) LoggerFactory.getLogger(OutboundTransport.class)).addAppender(log);
    }

    private static TLSARecord tlsa(Name name, int usage, int selector, int matching, X509Certificate cert)
            throws Exception {
        return new TLSARecord(name, DClass.IN, 60, usage, selector, matching,
                TlsaMatcher.association(cert, selector, matching));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        https.close();
        stsServer.close();
        for (SinkSmtpServer s : SINKS.values()) {
            s.close();
        }
        dns.close();
        blobs.close();
    }

    @BeforeEach
    void clear() {
        SINKS.values().forEach(s -> {
            s.received.clear();
            s.commands.clear();
        });
        REPORTED.clear();
        log.list.clear();
    }

    private static RecipientOutcome send(String domain, TlsPolicy level) {
        return send(domain, level, false);
    }

    private static RecipientOutcome send(String domain, TlsPolicy level, boolean withSts) {
        return send(domain, level, withSts, false);
    }

    private static RecipientOutcome send(String domain, TlsPolicy level, boolean withSts, boolean requireTls) {
        TlsReportStore reports = new TlsReportStore() {
            @Override
            public void record(TlsSessionOutcome outcome) {
                REPORTED.add(outcome);
            }

            @Override
            public java.util.concurrent.CompletionStage<List<io.mailfleet.core.tlsrpt.TlsRptDay>> take(String lastDay) {
                return java.util.concurrent.CompletableFuture.completedFuture(List.of());
            }
        };
        TransportSecurity security = new TransportSecurity(withSts ? sts : null, reports, Clock.systemUTC())
                .withDane(new DaneResolver(resolver));
        RelaySelector direct = new RelaySelector(null, null, 25, null, Map.of(), Map.of(), Set.of(), level,
                TlsPolicyMap.empty());
        OutboundTransport transport = new OutboundTransport(client, new MxResolver(resolver), () -> direct, blobs,
                "mail.src.test", SINKS.get("ee").port(), security);
        Envelope env = new Envelope("sender@src.test", List.of(EnvelopeRecipient.of("rcpt@" + domain)), "client",
                "127.0.0.1", null, false, null, null, "7BIT", false, Instant.now());
        return transport.send(env, env.recipients(), blob, null, requireTls).toCompletableFuture().join().get(0);
    }

    private static String logText() {
        return String.join("\n", log.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    private static void assertDelivered(RecipientOutcome o, String domain) {
        assertEquals(Kind.DELIVERED, o.kind(), o.toString());
        SinkSmtpServer sink = SINKS.get(domain.substring(0, domain.indexOf('.')));
        assertEquals(1, sink.received.size());
        assertTrue(sink.received.get(0).tls(), "delivered over TLS");
    }

    private static void assertDeferred(RecipientOutcome o, String domain, String status, String diagnostic) {
        assertEquals(Kind.TEMPORARY, o.kind(), o.toString());
        assertEquals(status, o.status(), o.toString());
        assertTrue(o.diagnostic().contains(diagnostic), o.diagnostic());
        SinkSmtpServer sink = SINKS.get(domain.substring(0, domain.indexOf('.')));
        assertTrue(sink.received.isEmpty(), "nothing may be delivered");
        assertTrue(sink.commands.stream().noneMatch(c -> c.startsWith("MAIL")), sink.commands.toString());
    }

    @Test
    void daneEeMatchDeliversOverTlsWithoutNameOrCaChecks() {
        assertDelivered(send("ee.test", TlsPolicy.DANE), "ee.test");
        assertTrue(logText().contains("for ee.test: tls=verified dane=pass usage=dane-ee"), logText());
        assertTrue(REPORTED.stream().anyMatch(r -> r.policyType().equals("tlsa") && r.success()
                && r.mxHost().equals("mx.ee.test")), REPORTED.toString());
    }

    @Test
    void requireTlsGoesOutToADaneAuthenticatedHostThatOffersIt() {
        SinkSmtpServer sink = SINKS.get("ee");
        sink.requireTls = true;
        try {
            assertDelivered(send("ee.test", TlsPolicy.DANE, false, true), "ee.test");
            assertTrue(sink.commands.stream().anyMatch(c -> c.startsWith("MAIL FROM:") && c.endsWith(" REQUIRETLS")),
                    sink.commands.toString());
        } finally {
            sink.requireTls = false;
        }
    }

    @Test
    void requireTlsIsReturnedWhenDaneDoesNotAuthenticateOrTheHostLacksIt() {
        RecipientOutcome insecure = send("plain.test", TlsPolicy.DANE, false, true);
        assertEquals(Kind.PERMANENT, insecure.kind(), insecure.toString());
        assertEquals("5.7.10", insecure.status(), insecure.toString());
        assertTrue(SINKS.get("plain").received.isEmpty());
        RecipientOutcome unusable = send("unusable.test", TlsPolicy.DANE, false, true);
        assertEquals(Kind.PERMANENT, unusable.kind(), unusable.toString());
        assertEquals("5.7.10", unusable.status(), unusable.toString());
        assertTrue(SINKS.get("unusable").received.isEmpty(), "only TLSA-authenticated hosts may carry it");
        RecipientOutcome noSupport = send("ee.test", TlsPolicy.DANE, false, true);
        assertEquals(Kind.PERMANENT, noSupport.kind(), noSupport.toString());
        assertEquals("5.7.30", noSupport.status(), "authenticated, but the host does not offer REQUIRETLS");
        assertTrue(SINKS.get("ee").received.isEmpty());
    }

    @Test
    void daneOnlyDeliversToAHostWithUsableTlsa() {
        assertDelivered(send("ee.test", TlsPolicy.DANE_ONLY), "ee.test");
        assertTrue(logText().contains("tls=verified dane=pass"), logText());
    }

    @Test
    void daneTaMatchValidatesTheChainAndTheMxName() {
        assertDelivered(send("ta.test", TlsPolicy.DANE), "ta.test");
        assertTrue(logText().contains("for ta.test: tls=verified dane=pass usage=dane-ta"), logText());
    }

    @Test
    void daneTaWithACertificateForAnotherNameIsDeferred() {
        RecipientOutcome o = send("tawrongname.test", TlsPolicy.DANE);
        assertDeferred(o, "tawrongname.test", "4.7.5", "DANE authentication");
        assertTrue(o.diagnostic().contains("match neither the MX host nor the nexthop domain"), o.diagnostic());
    }

    @Test
    void aMismatchIsDeferredAndNeverSentInPlainText() {
        RecipientOutcome o = send("mismatch.test", TlsPolicy.DANE);
        assertDeferred(o, "mismatch.test", "4.7.5", "DANE authentication of host mx.mismatch.test");
        assertTrue(logText().contains("dane=fail"), logText());
        // One TLS attempt, no plaintext retry as at "may".
        assertEquals(1, SINKS.get("mismatch").commands.stream().filter(c -> c.startsWith("EHLO")).count(),
                SINKS.get("mismatch").commands.toString());
        assertTrue(REPORTED.stream().anyMatch(r -> r.resultType().equals("tlsa-invalid")), REPORTED.toString());
    }

    @Test
    void anInsecureZoneFallsBackToMayAtDane() {
        assertDelivered(send("plain.test", TlsPolicy.DANE), "plain.test");
        assertTrue(logText().contains("for plain.test: tls=encrypted-unverified dane=insecure level=dane"), logText());
    }

    @Test
    void anInsecureZoneFailsClosedAtDaneOnly() {
        RecipientOutcome o = send("plain.test", TlsPolicy.DANE_ONLY);
        assertDeferred(o, "plain.test", "4.7.5", "dane-only");
        assertTrue(SINKS.get("plain").commands.isEmpty(), "not even connected");
        assertTrue(logText().contains("tls=none dane=insecure level=dane-only"), logText());
        assertTrue(REPORTED.stream().anyMatch(r -> r.resultType().equals("dane-required")), REPORTED.toString());
    }

    @Test
    void aBogusZoneIsNeverDeliveredTo() {
        RecipientOutcome o = send("bogus.test", TlsPolicy.DANE);
        assertDeferred(o, "bogus.test", "4.7.5", "failed DNSSEC validation");
        assertTrue(SINKS.get("bogus").commands.isEmpty(), "not even connected");
        assertTrue(logText().contains("dane=fail"), logText());
        assertTrue(REPORTED.stream().anyMatch(r -> r.resultType().equals("dnssec-invalid")), REPORTED.toString());
    }

    @Test
    void onlyUnusableTlsaRecordsStillMakeTlsMandatory() {
        RecipientOutcome o = send("unusable.test", TlsPolicy.DANE);
        assertDelivered(o, "unusable.test");
        assertTrue(logText().contains("tls=encrypted-unverified dane=unusable-tlsa level=dane"), logText());
    }

    @Test
    void aSecureTlsaRecordForbidsPlainTextWhenStartTlsIsMissing() {
        RecipientOutcome o = send("notls.test", TlsPolicy.DANE);
        assertDeferred(o, "notls.test", "4.7.4", "DNSSEC-validated TLSA records");
    }

    @Test
    void daneWinsOverMtaSts() {
        // The same enforce policy defers plain.test (no DANE there): its MX is not listed.
        RecipientOutcome control = send("plain.test", TlsPolicy.DANE, true);
        assertDeferred(control, "plain.test", "4.7.5", "MTA-STS policy of plain.test");
        // ee.test has DANE: RFC 8461 §2, the policy is not applied and DANE authenticates.
        assertDelivered(send("ee.test", TlsPolicy.DANE, true), "ee.test");
        assertTrue(logText().contains("for ee.test: tls=verified dane=pass"), logText());
        assertTrue(REPORTED.stream().filter(r -> r.policyDomain().equals("ee.test"))
                .allMatch(r -> r.policyType().equals("tlsa")), REPORTED.toString());
    }

    @Test
    void aSignedZoneWithoutTlsaRecordsIsNotDaneAtDaneAndFailsClosedAtDaneOnly() {
        // Secure MX and address records, and an NSEC proof that _<port>._tcp.<mx> has no TLSA records.
        assertDelivered(send("notlsa.test", TlsPolicy.DANE), "notlsa.test");
        assertTrue(logText().contains("for notlsa.test: tls=encrypted-unverified dane=insecure level=dane"), logText());
        SINKS.get("notlsa").received.clear();
        SINKS.get("notlsa").commands.clear();
        RecipientOutcome o = send("notlsa.test", TlsPolicy.DANE_ONLY);
        assertDeferred(o, "notlsa.test", "4.7.5", "has no TLSA records");
        assertTrue(SINKS.get("notlsa").commands.isEmpty(), "not even connected");
    }

    @Test
    void otherLevelsDoNotLookTlsaUp() {
        // At "may" the mismatching TLSA record plays no part: opportunistic TLS as before.
        assertDelivered(send("mismatch.test", TlsPolicy.MAY), "mismatch.test");
        assertTrue(logText().contains("for mismatch.test: tls=encrypted-unverified level=may"), logText());
    }
}
