package io.mailfleet.server;

import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /api/v1/metrics} of a real node: Prometheus text that follows what the node does. */
class MetricsEndToEndTest {

    @TempDir
    Path data;

    @Test
    void metricsFollowSessionsQueueAndDirectory() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of("MAILFLEET_BLOB_GC_INTERVAL", "0"));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret", false))) {
            int imap = server.listeners().imapPorts().get(false);
            String before = scrape(env, true);
            assertTrue(before.contains("# TYPE mailfleet_deliveries_total counter\n"), before);
            assertTrue(before.contains("mailfleet_directory_entries{kind=\"accounts\"} 1.0\n"), before);
            assertTrue(before.contains("mailfleet_queue_messages{state=\"deferred\"} 0.0\n"), before);
            assertTrue(before.contains("mailfleet_sessions{protocol=\"imap\"} 0.0\n"), before);
            assertTrue(before.contains("mailfleet_cluster_members{status=\"up\"} 1.0\n"), before);
            assertTrue(before.contains("mailfleet_bans 0.0\n"), before);
            for (String line : before.split("\n")) {
                assertTrue(line.startsWith("# HELP mailfleet_") || line.startsWith("# TYPE mailfleet_")
                        || line.matches("mailfleet_[a-z_]+(\\{[a-z]+=\"[^\"]*\"})? -?[0-9.E]+"), "bad line: " + line);
            }

            try (Wire c = Wire.imap(new Socket("127.0.0.1", imap))) {
                assertTrue(Wire.last(c.command("L", "LOGIN user@example.com secret")).startsWith("L OK"));
                String during = "";
                for (int i = 0; i < 50 && !during.contains("mailfleet_sessions{protocol=\"imap\"} 1.0\n"); i++) {
                    Thread.sleep(100);
                    during = scrape(env, true);
                }
                assertTrue(during.contains("mailfleet_sessions{protocol=\"imap\"} 1.0\n"), during);
            }
            assertEquals(401, status(env, false), "the token is required");
        }
    }

    private static String scrape(Map<String, String> env, boolean withToken) throws Exception {
        HttpResponse<String> r = request(env, withToken);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        return r.body();
    }

    private static int status(Map<String, String> env, boolean withToken) throws Exception {
        return request(env, withToken).statusCode();
    }

    private static HttpResponse<String> request(Map<String, String> env, boolean withToken) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + env.get("MAILFLEET_MANAGEMENT_PORT") + "/api/v1/metrics"));
        if (withToken) {
            String token = Files.readString(Path.of(env.get("MAILFLEET_DATA")).resolve("api-token")).strip();
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
