package io.mailfleet.server.dns;

import io.mailfleet.cli.CliRun;
import io.mailfleet.core.dns.AsyncDnsResolver;
import io.mailfleet.core.mtasts.CachedPolicy;
import io.mailfleet.core.mtasts.MtaStsMode;
import io.mailfleet.core.mtasts.PolicyCache;
import io.mailfleet.protocols.outbound.OutboundTrust;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.protocols.outbound.https.HttpsClient;
import io.mailfleet.protocols.outbound.sts.MtaStsResolver;
import io.mailfleet.protocols.outbound.sts.PolicyFetcher;
import io.mailfleet.protocols.outbound.sts.StsLookup;
import io.mailfleet.protocols.tls.TestCertificates;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our own domains' MTA-STS policy: a node with TLS (a certificate naming {@code mail.example.com} and
 * {@code mta-sts.example.com}) serves it over HTTPS on {@code mailfleet.mta-sts-server}; an HTTPS client
 * with the right Host gets it, {@code ./mailfleet config dns} prints the {@code _mta-sts} TXT whose id is
 * the policy's hash, and the project's own MTA-STS resolver, pointed at that record and listener, accepts it.
 */
class MtaStsPolicyServingEndToEndTest {

    private static final String POLICY = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.mx.example.com\n"
            + "max_age: 86400\n";

    @TempDir
    Path data;

    /** A GET over TLS with SNI and Host {@code host}; the raw response. */
    private static String get(SSLContext trust, int port, String host, String path) throws Exception {
        try (SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(host)));
            s.setSSLParameters(p);
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void theNodeServesItsPolicyAndConfigDnsPrintsItsHash() throws Exception {
        TestCertificates.Pem pem = TestCertificates.ecdsa("mail.example.com", "mta-sts.example.com");
        Path cert = pem.writeCombined(data.resolve("certs/mail.example.com-full.pem"));
        Path anchor = pem.writeCert(data.resolve("certs/anchor.pem"));
        TrustManagerFactory tmf = OutboundTrust.caFile(anchor).factory();
        SSLContext trust = SSLContext.getInstance("TLS");
        trust.init(null, tmf.getTrustManagers(), null);
        int port = TestServers.freePort();
        try (TestDnsServer dns = new TestDnsServer()) {
            Map<String, String> extra = new HashMap<>();
            extra.put("SSL_TYPE", "custom");
            extra.put("SSL_CERT_PATH", cert.toString());
            extra.put("MAILFLEET_DNS_SERVER", "127.0.0.1:" + dns.settings(Duration.ofSeconds(2)).server().getPort());
            extra.put("MAILFLEET_MTA_STS_SERVER", "1");
            extra.put("MAILFLEET_MTA_STS_SERVER_BIND", "127.0.0.1");
            extra.put("MAILFLEET_MTA_STS_SERVER_PORT", Integer.toString(port));
            extra.put("MAILFLEET_MTA_STS_MODE", "enforce");
            extra.put("MAILFLEET_MTA_STS_MAX_AGE", "86400");
            extra.put("MAILFLEET_MTA_STS_MX", "mail.example.com, *.mx.example.com");
            Map<String, String> env = TestServers.env(data.resolve("node"), extra);
            try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret-pw", false))) {
                // An HTTPS client with the right Host gets the policy as text/plain.
                String ok = get(trust, port, "mta-sts.example.com", "/.well-known/mta-sts.txt");
                assertTrue(ok.startsWith("HTTP/1.1 200 "), ok);
                assertTrue(ok.toLowerCase().contains("content-type: text/plain"), ok);
                assertEquals(POLICY, body(ok));
                // Another domain, a name that is not mta-sts.<domain>, another path: nothing.
                assertTrue(get(trust, port, "mta-sts.other.example", "/.well-known/mta-sts.txt").startsWith("HTTP/1.1 404 "));
                assertTrue(get(trust, port, "mail.example.com", "/.well-known/mta-sts.txt").startsWith("HTTP/1.1 404 "));
                assertTrue(get(trust, port, "mta-sts.example.com", "/.well-known/other").startsWith("HTTP/1.1 404 "));

                // config dns: the _mta-sts id is the policy's hash, the policy printed is the one served.
                CliRun plan = CliRun.cli(env, "config", "dns", "example.com");
                assertEquals(0, plan.code(), plan.toString());
                String line = DnsRecordsEndToEndTest.line(plan.out(), "_mta-sts.example.com", "TXT");
                Matcher m = Pattern.compile("\"v=STSv1; id=([0-9a-f]{20})\"").matcher(line);
                assertTrue(m.find(), line);
                String id = m.group(1);
                byte[] sha = MessageDigest.getInstance("SHA-256").digest(body(ok).getBytes(StandardCharsets.UTF_8));
                assertEquals(HexFormat.of().formatHex(sha, 0, 10), id, "the id is the hash of the served policy");
                assertTrue(plan.out().contains(";   mode: enforce\n") && plan.out().contains(";   mx: *.mx.example.com\n"),
                        plan.out());
                assertTrue(DnsRecordsEndToEndTest.line(plan.out(), "_smtp._tls.example.com", "TXT")
                        .startsWith("_smtp._tls.example.com. IN TXT \"v=TLSRPTv1; rua=mailto:"), plan.out());

                // Round trip: the record published, the project's resolver fetches and accepts the served policy.
                dns.txt("_mta-sts.example.com", "v=STSv1; id=" + id + ";").a("mta-sts.example.com", "127.0.0.1");
                AsyncDnsResolver resolver = new AsyncDnsResolver(dns.settings(Duration.ofSeconds(2)).resolverSettings());
                try (HttpsClient https = new HttpsClient(resolver, tmf)) {
                    Map<String, CachedPolicy> cached = new ConcurrentHashMap<>();
                    PolicyCache cache = new PolicyCache() {
                        @Override
                        public CompletionStage<Optional<CachedPolicy>> get(String domain) {
                            return CompletableFuture.completedFuture(Optional.ofNullable(cached.get(domain)));
                        }

                        @Override
                        public void put(CachedPolicy policy) {
                            cached.put(policy.domain(), policy);
                        }
                    };
                    MtaStsResolver sts = new MtaStsResolver(resolver, cache, new PolicyFetcher(https, port,
                            Duration.ofSeconds(10)), 31557600, Clock.systemUTC());
                    StsLookup lookup = sts.lookup("example.com").toCompletableFuture().get(30, TimeUnit.SECONDS);
                    assertTrue(lookup.failure().isEmpty(), () -> "fetch failed: " + lookup.failure());
                    CachedPolicy p = lookup.policy().orElseThrow();
                    assertEquals(id, p.id());
                    assertEquals(MtaStsMode.ENFORCE, p.policy().mode());
                    assertEquals(List.of("mail.example.com", "*.mx.example.com"), p.policy().mx());
                    assertTrue(p.policy().allowsMx("mx1.mx.example.com"));
                    assertTrue(!p.policy().allowsMx("mail.elsewhere.example"));
                }
            }
        }
    }
}
