package io.mailfleet.server;

import io.mailfleet.protocols.tls.SelfSignedCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The health port's /ready reports a failing certificate watcher, and recovers with it. */
class NodeHealthEndToEndTest {

    @TempDir
    Path data;

    @Test
    void readyFailsWhileTheCertificateWatcherFailsAndRecovers() throws Exception {
        Path certs = data.resolve("certs");
        SelfSignedCertificates.ensure(certs, "mail.example.com");
        Path cert = data.resolve("cert.pem");
        Path key = data.resolve("key.pem");
        byte[] goodCert = Files.readAllBytes(SelfSignedCertificates.certFile(certs, "mail.example.com"));
        Files.write(cert, goodCert);
        Files.copy(SelfSignedCertificates.keyFile(certs, "mail.example.com"), key);
        Map<String, String> env = TestServers.env(data.resolve("node"), Map.of("SSL_TYPE", "manual",
                "SSL_CERT_PATH", cert.toString(), "SSL_KEY_PATH", key.toString()));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI ready = URI.create("http://127.0.0.1:" + env.get("MAILFLEET_CLUSTER_MANAGEMENT_PORT") + "/ready");
        try (MailfleetServer server = TestServers.start(env, null)) {
            assertEquals(200, status(http, ready, 200));

            Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
            Files.setLastModifiedTime(cert, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
            // Pekko management answers a failed readiness check with 500 "Not Healthy"
            assertEquals(500, status(http, ready, 500), "a failing certificate watcher makes the node not ready");
            String body = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(body.startsWith("Not Healthy"), body);
            assertTrue(BackgroundHealth.get(server.system()).problems().get(0)
                    .contains("tls-certificate-watch failing"), BackgroundHealth.get(server.system()).problems().toString());
            String token = Files.readString(data.resolve("node").resolve("api-token")).strip();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + env.get("MAILFLEET_MANAGEMENT_PORT") + "/api/v1/health")).header("Authorization", "Bearer " + token)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"status\":\"degraded\""), health.body());
            assertTrue(health.body().contains("tls-certificate-watch failing"), health.body());

            Files.write(cert, goodCert);
            Files.setLastModifiedTime(cert, FileTime.fromMillis(System.currentTimeMillis() + 20_000));
            assertEquals(200, status(http, ready, 200), "ready again once a reload succeeds");
            assertTrue(BackgroundHealth.get(server.system()).problems().isEmpty());
        }
    }

    /** Polls {@code uri} until it answers {@code wanted} (60 s at most: the watcher polls every 5 s). */
    private static int status(HttpClient http, URI uri, int wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int last;
        do {
            last = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
            if (last == wanted) {
                return last;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return last;
    }
}
