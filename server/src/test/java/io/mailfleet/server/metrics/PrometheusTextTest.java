package io.mailfleet.server.metrics;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PrometheusTextTest {

    @Test
    void writesHelpTypeAndEscapedLabels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("a", "x\"y\\z\nw");
        labels.put("b", "2");
        String text = new PrometheusText()
                .metric("m_total", "counter", "Counts things.\nTwo lines.")
                .sample("m_total", labels, 3)
                .sample("m_total", 1.5)
                .toString();
        assertEquals("# HELP m_total Counts things.\\nTwo lines.\n# TYPE m_total counter\n"
                + "m_total{a=\"x\\\"y\\\\z\\nw\",b=\"2\"} 3\nm_total 1.5\n", text);
    }
}
