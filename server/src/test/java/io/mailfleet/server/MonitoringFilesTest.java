package io.mailfleet.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard and the Prometheus alert rules shipped in docs/monitoring ask only for metrics
 * a real node exports (a renamed metric would leave an empty panel and an alert that never fires).
 */
class MonitoringFilesTest {

    private static final Pattern METRIC = Pattern.compile("mailfleet_[a-z_]+");

    @TempDir
    Path data;

    @Test
    void everyMetricTheDashboardAndTheAlertsUseIsExportedByANode() throws Exception {
        Path monitoring = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("monitoring");
        String dashboard = Files.readString(monitoring.resolve("grafana-dashboard.json"));
        String alerts = Files.readString(monitoring.resolve("prometheus-alerts.yml"));
        JsonNode dash = new ObjectMapper().readTree(dashboard);
        assertEquals("Mailfleet", dash.path("title").asText());
        assertTrue(dash.path("panels").size() >= 10, "panels: " + dash.path("panels").size());

        Map<String, String> env = TestServers.env(data, Map.of("SSL_TYPE", "self-signed"));
        String scrape;
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret", false))) {
            String token = Files.readString(data.resolve("api-token")).strip();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + env.get("MAILFLEET_MANAGEMENT_PORT") + "/api/v1/metrics")).header("Authorization", "Bearer " + token)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            scrape = r.body();
        }
        Set<String> exported = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                exported.add(line.split(" ")[2]);
            }
        }
        Set<String> used = new TreeSet<>();
        Matcher m = METRIC.matcher(dashboard + "\n" + alerts);
        while (m.find()) {
            used.add(m.group());
        }
        assertFalse(used.isEmpty());
        for (String name : used) {
            assertTrue(exported.contains(name), name + " is used in docs/monitoring but not exported: " + exported);
        }
        // the self-signed certificate made at start-up is valid for a while
        Matcher expiry = Pattern.compile("mailfleet_tls_certificate_expiry_timestamp_seconds ([0-9.E]+)").matcher(scrape);
        assertTrue(expiry.find(), scrape);
        assertTrue(Double.parseDouble(expiry.group(1)) > System.currentTimeMillis() / 1000.0 + 86400, expiry.group(1));
    }
}
