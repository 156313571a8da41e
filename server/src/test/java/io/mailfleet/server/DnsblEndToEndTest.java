package io.mailfleet.server;

import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole node configured as a docker-mailserver user would (ENABLE_DNSBL=1, POSTSCREEN_ACTION), asking
 * block-list zones served by a real DNS server on loopback through MAILFLEET_DNS_SERVER. Loopback is
 * untrusted (TRUSTED_NETWORKS=192.0.2.1/32), so 127.0.0.x are Internet clients: 127.0.0.2 is listed
 * (rank 3), 127.0.0.3 is listed under the threshold (rank 1), 127.0.0.4 is listed nowhere.
 */
class DnsblEndToEndTest {

    private static final String BLOCKED = "550 5.7.1 Service unavailable; client [127.0.0.2] blocked using zen.test";

    @TempDir
    Path data;
    private TestDnsServer dns;

    @BeforeEach
    void zones() throws Exception {
        dns = new TestDnsServer()
                .a("2.0.0.127.zen.test", "127.0.0.2")
                .a("3.0.0.127.bl.test", "127.0.0.2")
                .a("4.0.0.127.zen.test", "127.255.255.254"); // out of the filter: not a listing
    }

    @AfterEach
    void stop() throws Exception {
        dns.close();
    }

    private Map<String, String> env(String... pairs) throws Exception {
        var s = dns.settings(Duration.ofSeconds(2)).server();
        Map<String, String> extra = new HashMap<>(Map.of("TRUSTED_NETWORKS", "192.0.2.1/32",
                "MAILFLEET_DNS_SERVER", s.getAddress().getHostAddress() + ":" + s.getPort(),
                "MAILFLEET_DNSBL_SITES", "zen.test=127.0.0.[2..11]*3 bl.test", "MAILFLEET_DNSBL_THRESHOLD", "3"));
        for (int i = 0; i < pairs.length; i += 2) {
            extra.put(pairs[i], pairs[i + 1]);
        }
        return TestServers.env(data, extra);
    }

    private static Wire from(String ip, int port) throws Exception {
        return Wire.from(Wire.Protocol.SMTP, ip, port);
    }

    private static String rcpt(String ip, int port, String sender, String recipient) throws Exception {
        try (Wire c = from(ip, port)) {
            c.expect("220 ");
            c.send("EHLO client.remote.example").expect("250");
            c.send("MAIL FROM:<" + sender + ">").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<" + recipient + ">");
            String reply = c.line();
            c.send("QUIT");
            return reply;
        }
    }

    @Test
    void enforceRefusesAListedClientAtRcptAndCountsItWhileOthersDeliver() throws Exception {
        Map<String, String> env = env("ENABLE_DNSBL", "1", "POSTSCREEN_ACTION", "enforce");
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret", false))) {
            int mx = server.listeners().smtpPorts().get(SmtpMode.MX);
            assertEquals(BLOCKED, rcpt("127.0.0.2", mx, "a@sender.example", "user@example.com"));
            try (Wire c = from("127.0.0.4", mx)) {
                c.expect("220 ");
                c.send("EHLO client.remote.example").expect("250");
                c.send("MAIL FROM:<a@sender.example>").expect("250 2.1.0 Ok");
                c.send("RCPT TO:<user@example.com>").expect("250 2.1.5 Ok");
                c.send("DATA").expect("354 ");
                c.send("Subject: clean client\r\n\r\nhello\r\n.").expect("250 2.0.0 Ok: queued as ");
            }
            SmtpDeliveryEndToEndTest.awaitInbox(server, "user@example.com", 1);
            assertTrue(rcpt("127.0.0.3", mx, "a@sender.example", "user@example.com").startsWith("250 "),
                    "rank 1 is under the threshold 3");

            String metrics = scrape(env);
            assertTrue(metrics.contains("mailfleet_smtp_refusals_total{reason=\"dnsbl\"} 1.0\n"), metrics);
            assertTrue(metrics.contains("mailfleet_smtp_refusals_total{reason=\"greylist\"} 0.0\n"), metrics);

            // authenticated submission is never looked up
            int asked = dns.queries.get();
            try (Wire c = from("127.0.0.2", server.listeners().smtpPorts().get(SmtpMode.SUBMISSION))) {
                c.expect("220 ");
                c.send("EHLO client.remote.example").expect("250");
            }
            assertEquals(asked, dns.queries.get());
        }
    }

    @Test
    void dropClosesAListedClientWith521() throws Exception {
        try (MailfleetServer server = TestServers.start(env("ENABLE_DNSBL", "1", "POSTSCREEN_ACTION", "drop"),
                new FirstAccount("user@example.com", "secret", false))) {
            int mx = server.listeners().smtpPorts().get(SmtpMode.MX);
            try (Wire c = from("127.0.0.2", mx)) {
                assertEquals("521 5.7.1 Service unavailable; client [127.0.0.2] blocked using zen.test", c.line());
                assertNull(c.lineOrNull());
            }
        }
    }

    @Test
    void withoutEnableDnsblNothingIsAsked() throws Exception {
        try (MailfleetServer server = TestServers.start(env(), new FirstAccount("user@example.com", "secret", false))) {
            int mx = server.listeners().smtpPorts().get(SmtpMode.MX);
            assertTrue(rcpt("127.0.0.2", mx, "a@sender.example", "user@example.com").startsWith("250 "));
        }
        assertEquals(0, dns.queries.get());
    }

    @Test
    void aListedClientIsNeverAutoWhitelistedByGreylisting() throws Exception {
        // 127.0.0.3 (rank 1) and 127.0.0.4 share the greylist network 127.0.0.0/24
        Map<String, String> env = env("ENABLE_DNSBL", "1", "ENABLE_POSTGREY", "1", "POSTGREY_DELAY", "1",
                "POSTGREY_AUTO_WHITELIST_CLIENTS", "1");
        try (MailfleetServer server = TestServers.start(env,
                new FirstAccount("user@example.com", "secret", false))) {
            int mx = server.listeners().smtpPorts().get(SmtpMode.MX);
            String deferred = "451 4.7.1 Delayed by Postgrey";
            assertEquals(deferred, rcpt("127.0.0.3", mx, "a@listed.example", "user@example.com"));
            Thread.sleep(1_500); // past the greylisting delay (not a timing assertion)
            assertTrue(rcpt("127.0.0.3", mx, "a@listed.example", "user@example.com").startsWith("250 "));
            assertEquals(deferred, rcpt("127.0.0.3", mx, "b@listed.example", "user@example.com"),
                    "a listed client's passed retry does not whitelist it");

            assertEquals(deferred, rcpt("127.0.0.4", mx, "a@clean.example", "user@example.com"));
            Thread.sleep(1_500);
            assertTrue(rcpt("127.0.0.4", mx, "a@clean.example", "user@example.com").startsWith("250 "));
            assertTrue(rcpt("127.0.0.4", mx, "b@clean.example", "user@example.com").startsWith("250 "),
                    "an unlisted client's passed retry whitelists the network");
            assertEquals(deferred, rcpt("127.0.0.3", mx, "c@listed.example", "user@example.com"),
                    "the network's whitelisting does not apply to the listed client");
            String metrics = scrape(env);
            assertTrue(metrics.matches("(?s).*mailfleet_smtp_refusals_total\\{reason=\"greylist\"} 4\\.0\n.*"), metrics);
        }
    }

    private static String scrape(Map<String, String> env) throws Exception {
        String token = Files.readString(Path.of(env.get("MAILFLEET_DATA")).resolve("api-token")).strip();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + env.get("MAILFLEET_MANAGEMENT_PORT") + "/api/v1/metrics")).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }
}
