package io.mailfleet.server.outbound;

import io.mailfleet.core.dns.LoopbackDnsServer;
import io.mailfleet.core.dns.SignedZone;
import io.mailfleet.protocols.outbound.SinkSmtpServer;
import io.mailfleet.protocols.outbound.TestCa;
import io.mailfleet.protocols.outbound.dane.TlsaMatcher;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node with {@code MAILFLEET_OUTBOUND_TLS_LEVEL=dane}, its DNSSEC trust anchors from
 * {@code MAILFLEET_OUTBOUND_DANE_TRUST_ANCHOR} (the keys of zones signed in the test) and a
 * {@code postfix-tls-policy.cf} with a {@code dane-only} entry: mail submitted over SMTP reaches a
 * remote MX whose certificate matches its TLSA record; a mismatching certificate, a bogus zone and an
 * unsigned zone at {@code dane-only} never get it; an unsigned zone at {@code dane} gets it as at {@code may}.
 */
class DaneEndToEndTest {

    @TempDir
    Path data;

    @Test
    void daneLevelsThroughTheQueue() throws Exception {
        TestCa ca = new TestCa("DANE end-to-end CA (trusted by nobody)");
        TestCa.Issued matching = ca.issue("mx.match.example");
        TestCa.Issued other = ca.issue("mx.mismatch.example");
        try (SinkSmtpServer match = new SinkSmtpServer(InetAddress.getByName("127.0.0.81"), 0);
             SinkSmtpServer mismatch = new SinkSmtpServer(InetAddress.getByName("127.0.0.82"), match.port());
             SinkSmtpServer plain = new SinkSmtpServer(InetAddress.getByName("127.0.0.83"), match.port());
             SinkSmtpServer strict = new SinkSmtpServer(InetAddress.getByName("127.0.0.84"), match.port());
             SinkSmtpServer bogus = new SinkSmtpServer(InetAddress.getByName("127.0.0.85"), match.port());
             LoopbackDnsServer dns = new LoopbackDnsServer()) {
            int port = match.port();
            for (SinkSmtpServer s : List.of(match, mismatch, plain, strict, bogus)) {
                s.starttls = true;
                s.tlsContext = (s == match ? matching : other).context();
            }
            StringBuilder anchors = new StringBuilder();
            SignedZone signed = zone("match.example", "127.0.0.81", port, matching.certificate(), null);
            signed.serveFrom(dns);
            anchors.append(signed.trustAnchor());
            SignedZone wrong = zone("mismatch.example", "127.0.0.82", port, matching.certificate(), null);
            wrong.serveFrom(dns);
            anchors.append(wrong.trustAnchor());
            SignedZone expired = zone("bogus.example", "127.0.0.85", port, other.certificate(),
                    Instant.now().minus(Duration.ofDays(3)));
            expired.serveFrom(dns);
            anchors.append(expired.trustAnchor());
            for (String[] d : new String[][] {{"plain.example", "127.0.0.83"}, {"strict.example", "127.0.0.84"}}) {
                dns.add(new MXRecord(Name.fromString(d[0] + "."), DClass.IN, 60, 10, Name.fromString("mx." + d[0] + ".")));
                dns.add(new ARecord(Name.fromString("mx." + d[0] + "."), DClass.IN, 60, InetAddress.getByName(d[1])));
            }
            Path anchorFile = Files.writeString(data.resolve("test-anchors.key"), anchors.toString());
            Files.createDirectories(data.resolve("config"));
            Files.write(data.resolve("config").resolve(RelayFiles.TLS_POLICY), List.of("strict.example dane-only"));
            MailfleetServer server = TestServers.start(TestServers.env(data, Map.of(
                            "MAILFLEET_DNS_SERVER", "127.0.0.1:" + dns.address().getPort(),
                            "MAILFLEET_OUTBOUND_MX_PORT", Integer.toString(port),
                            "MAILFLEET_OUTBOUND_TLS_LEVEL", "dane",
                            "MAILFLEET_OUTBOUND_DANE_TRUST_ANCHOR", anchorFile.toString(),
                            "MAILFLEET_RETRY_FIRST", "1s",
                            "MAILFLEET_RETRY_MAX", "2s",
                            "MAILFLEET_SMTP_CLIENT_TIMEOUT", "5s")),
                    new FirstAccount("sender@example.com", "secret-password", false));
            try {
                int submission = server.listeners().smtpPorts().get(SmtpMode.SUBMISSION);
                try (Wire c = Smtp.submission(submission, "sender@example.com", "secret-password")) {
                    for (String rcpt : List.of("a@match.example", "b@mismatch.example", "c@plain.example",
                            "d@strict.example", "e@bogus.example")) {
                        Smtp.submit(c, "<sender@example.com>", List.of("<" + rcpt + ">"),
                                "From: sender@example.com\r\nTo: " + rcpt + "\r\nSubject: dane\r\n\r\nhello\r\n");
                    }
                }
                OutboundDeliveryTest.waitFor(() -> match.received.size() == 1 && plain.received.size() == 1);
                assertTrue(match.received.get(0).tls(), "DANE-authenticated TLS");
                assertTrue(plain.received.get(0).tls(), "opportunistic TLS for the unsigned zone at dane");
                // The mismatch is retried (deferred, kept in the queue) and never gets the message.
                OutboundDeliveryTest.waitFor(() -> mismatch.commands.stream().filter("STARTTLS"::equals).count() >= 2);
                assertEquals(0, mismatch.received.size());
                assertTrue(mismatch.commands.stream().noneMatch(x -> x.startsWith("MAIL")), mismatch.commands.toString());
                // Unsigned at dane-only and bogus: never even connected to, across those retries.
                assertTrue(strict.commands.isEmpty(), strict.commands.toString());
                assertTrue(bogus.commands.isEmpty(), bogus.commands.toString());
                assertFalse(strict.accepted.get() > 0 || bogus.accepted.get() > 0, "no connection");
            } finally {
                server.close();
            }
        }
    }

    /** A signed zone: MX, A and a {@code 3 1 1} TLSA record for {@code tlsaOf}; signatures expired at {@code expiredAt}. */
    private static SignedZone zone(String domain, String ip, int port, X509Certificate tlsaOf, Instant expiredAt)
            throws Exception {
        SignedZone z = expiredAt == null ? new SignedZone(domain)
                : new SignedZone(domain, expiredAt.minus(Duration.ofDays(7)), expiredAt);
        String mx = "mx." + domain + ".";
        List<Record> records = new ArrayList<>();
        records.add(new MXRecord(Name.fromString(domain + "."), DClass.IN, 60, 10, Name.fromString(mx)));
        records.add(new ARecord(Name.fromString(mx), DClass.IN, 60, InetAddress.getByName(ip)));
        records.add(new TLSARecord(Name.fromString("_" + port + "._tcp." + mx), DClass.IN, 60, 3, 1, 1,
                TlsaMatcher.association(tlsaOf, 1, 1)));
        records.forEach(z::add);
        return z;
    }
}
