package io.mailfleet.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Scrapes {@code /api/v1/metrics} of a real node and reads it as Prometheus does: every family
 * declared once with HELP and TYPE, every sample under a declared family, values that parse as
 * floats; and the families, types and label names are exactly the ones the node has always
 * exposed (the Prometheus Java client writes the text, it has no parser, so the test reads it).
 */
class MetricsScrapeTest {

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    /** Family name -> type and the label names its samples carry. */
    private static final Map<String, String> FAMILIES = new TreeMap<>(Map.ofEntries(
            Map.entry("mailfleet_queue_messages", "gauge [state]"),
            Map.entry("mailfleet_queue_oldest_message_age_seconds", "gauge []"),
            Map.entry("mailfleet_deliveries_total", "counter [outcome]"),
            Map.entry("mailfleet_sessions", "gauge [protocol]"),
            Map.entry("mailfleet_directory_entries", "gauge [kind]"),
            Map.entry("mailfleet_cluster_members", "gauge [status]"),
            Map.entry("mailfleet_cluster_unreachable_members", "gauge []"),
            Map.entry("mailfleet_bans", "gauge []"),
            Map.entry("mailfleet_smtp_refusals_total", "counter [reason]"),
            Map.entry("mailfleet_blob_commits_total", "counter []"),
            Map.entry("mailfleet_blob_fsyncs_total", "counter [kind]"),
            Map.entry("mailfleet_jvm_heap_bytes", "gauge [area]"),
            Map.entry("mailfleet_process_cpu_seconds_total", "counter []"),
            Map.entry("mailfleet_uptime_seconds", "gauge []")));

    @TempDir
    Path data;

    @Test
    void exposesEveryFamilyWithItsTypeAndLabels() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of("MAILFLEET_BLOB_GC_INTERVAL", "0"));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret", false))) {
            Scrape scrape = Scrape.parse(scrape(env));
            Map<String, String> seen = new TreeMap<>();
            scrape.types.forEach((name, type) -> seen.put(name, type + " " + scrape.labelNames.getOrDefault(name, new TreeSet<>())));
            assertEquals(FAMILIES, seen);
            assertEquals(1.0, scrape.value("mailfleet_directory_entries", Map.of("kind", "accounts")));
            assertEquals(0.0, scrape.value("mailfleet_bans", Map.of()));
            assertEquals(0.0, scrape.value("mailfleet_smtp_refusals_total", Map.of("reason", "pregreet")));
            assertEquals(1.0, scrape.value("mailfleet_cluster_members", Map.of("status", "up")));
            assertEquals(Set.of("delivered", "deferred", "bounced"), scrape.labelValues("mailfleet_deliveries_total", "outcome"));
            assertEquals(Set.of("imap", "pop3", "managesieve", "smtp"), scrape.labelValues("mailfleet_sessions", "protocol"));
            assertTrue(scrape.value("mailfleet_uptime_seconds", Map.of()) > 0);
        }
    }

    /** One scrape read line by line. */
    private static final class Scrape {
        final Map<String, String> types = new LinkedHashMap<>();
        final Map<String, Set<String>> labelNames = new TreeMap<>();
        final Map<String, Map<Map<String, String>, Double>> samples = new TreeMap<>();

        static Scrape parse(String text) {
            Scrape s = new Scrape();
            Set<String> helped = new TreeSet<>();
            assertTrue(text.endsWith("\n"), "the exposition ends with a newline");
            for (String line : text.split("\n")) {
                if (line.startsWith("# HELP ")) {
                    String name = line.substring(7).split(" ", 2)[0];
                    assertTrue(helped.add(name), "HELP twice for " + name);
                } else if (line.startsWith("# TYPE ")) {
                    String[] parts = line.substring(7).split(" ");
                    assertEquals(2, parts.length, line);
                    assertTrue(helped.contains(parts[0]), "TYPE before HELP: " + line);
                    assertTrue(s.types.putIfAbsent(parts[0], parts[1]) == null, "TYPE twice: " + line);
                } else {
                    Matcher m = SAMPLE.matcher(line);
                    if (!m.matches()) {
                        fail("not a sample line: " + line);
                    }
                    String family = m.group(1);
                    assertTrue(s.types.containsKey(family), "sample before its TYPE: " + line);
                    Map<String, String> labels = new TreeMap<>();
                    if (m.group(2) != null && !m.group(2).isEmpty()) {
                        Matcher l = LABEL.matcher(m.group(2));
                        int end = 0;
                        while (l.find() && l.start() == end) {
                            labels.put(l.group(1), l.group(2));
                            end = l.end();
                        }
                        assertEquals(m.group(2).length(), end, "bad labels: " + line);
                    }
                    s.labelNames.computeIfAbsent(family, k -> new TreeSet<>()).addAll(labels.keySet());
                    s.samples.computeIfAbsent(family, k -> new LinkedHashMap<>()).put(labels, Double.parseDouble(m.group(3)));
                }
            }
            return s;
        }

        double value(String family, Map<String, String> labels) {
            Double v = samples.getOrDefault(family, Map.of()).get(new TreeMap<>(labels));
            assertNotNull(v, family + labels + " in " + samples.get(family));
            return v;
        }

        Set<String> labelValues(String family, String label) {
            Set<String> values = new TreeSet<>();
            samples.getOrDefault(family, Map.of()).keySet().forEach(l -> values.add(l.get(label)));
            return values;
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
