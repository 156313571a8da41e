package io.mailfleet.server.web;

import io.mailfleet.cluster.metrics.MetricSample;
import io.mailfleet.cluster.metrics.NodeHistory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chart lines from two nodes' histories: counter increases (across a restart), summed and cluster-wide gauges. */
class ChartDataTest {

    private static final ChartData.Spec DELIVERIES = new ChartData.Spec("d", "mailfleet_deliveries", "outcome", true, false, "");
    private static final ChartData.Spec QUEUE = new ChartData.Spec("q", "mailfleet_queue_messages", "state", false, true, "");
    private static final ChartData.Spec SESSIONS = new ChartData.Spec("s", "mailfleet_sessions", "protocol", false, false, "");

    private static MetricSample s(long minute, Object... kv) {
        Map<String, Double> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        }
        return new MetricSample(minute, m);
    }

    private static Map<Long, Double> line(List<ChartData.Line> lines, String name) {
        return lines.stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow().points();
    }

    @Test
    void countersBecomeIncreasesPerMinuteAddedUpOverNodes() {
        NodeHistory a = new NodeHistory(List.of(
                s(10, "mailfleet_deliveries outcome=delivered", 100, "mailfleet_deliveries outcome=bounced", 1),
                s(11, "mailfleet_deliveries outcome=delivered", 106, "mailfleet_deliveries outcome=bounced", 1),
                s(13, "mailfleet_deliveries outcome=delivered", 112, "mailfleet_deliveries outcome=bounced", 3)));
        // b restarted between minute 11 and 12: its counter starts again from zero
        NodeHistory b = new NodeHistory(List.of(
                s(11, "mailfleet_deliveries outcome=delivered", 50),
                s(12, "mailfleet_deliveries outcome=delivered", 4),
                s(13, "mailfleet_deliveries outcome=delivered", 9)));
        List<ChartData.Line> lines = ChartData.lines(DELIVERIES, List.of(a, b), 0, 100);
        assertEquals(List.of("bounced", "delivered"), lines.stream().map(ChartData.Line::name).toList());
        assertEquals(Map.of(11L, 6.0, 12L, 4.0, 13L, 3.0 + 5.0), line(lines, "delivered"),
                "a: 6 in minute 11, 6 over two minutes (3 each) at 13; b: 4 after its restart, then 5");
        assertEquals(Map.of(11L, 0.0, 13L, 1.0), line(lines, "bounced"));
    }

    @Test
    void gaugesAreAddedOrForTheWholeClusterTakenOnce() {
        NodeHistory a = new NodeHistory(List.of(s(20, "mailfleet_sessions protocol=imap", 2,
                "mailfleet_queue_messages state=deferred", 7, "mailfleet_queue_messages state=queued", 1)));
        NodeHistory b = new NodeHistory(List.of(s(20, "mailfleet_sessions protocol=imap", 3,
                "mailfleet_queue_messages state=deferred", 7, "mailfleet_queue_messages state=queued", 1)));
        assertEquals(Map.of(20L, 5.0), line(ChartData.lines(SESSIONS, List.of(a, b), 0, 100), "imap"));
        List<ChartData.Line> queue = ChartData.lines(QUEUE, List.of(a, b), 0, 100);
        assertEquals(Map.of(20L, 7.0), line(queue, "deferred"), "every node reports the cluster's queue: not doubled");
        assertTrue(ChartData.lines(SESSIONS, List.of(a, b), 21, 100).isEmpty(), "outside the window: nothing");
    }

    @Test
    void theSvgEscapesNamesAndDrawsOneLinePerGroup() {
        NodeHistory a = new NodeHistory(List.of(s(30, "mailfleet_sessions protocol=<imap>", 1),
                s(31, "mailfleet_sessions protocol=<imap>", 2, "mailfleet_sessions protocol=pop3", 1)));
        String svg = SvgChart.render("sessions", SESSIONS, ChartData.lines(SESSIONS, List.of(a), 0, 60), 0, 60).toString();
        assertEquals(2, svg.split("<polyline").length - 1, svg);
        assertTrue(svg.contains("&lt;imap&gt;") && !svg.contains("<imap>"), svg);
        assertEquals(5.0, SvgChart.niceCeiling(4.2));
        assertEquals(1.0, SvgChart.niceCeiling(1));
        assertEquals(200.0, SvgChart.niceCeiling(101));
    }
}
