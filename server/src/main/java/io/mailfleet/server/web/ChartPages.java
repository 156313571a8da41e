package io.mailfleet.server.web;

import io.mailfleet.cluster.metrics.ClusterMetricHistory;
import io.mailfleet.cluster.metrics.NodeHistory;
import org.apache.pekko.http.javadsl.server.Route;

import java.time.Clock;
import java.util.Collection;
import java.util.List;

/**
 * {@code /ui/admin/charts?hours=1|3|6}: the metrics people watch over the last hours, for the whole
 * cluster, from the replicated history every node samples into once a minute.
 */
final class ChartPages extends WebPages {

    static final List<ChartData.Spec> CHARTS = List.of(
            new ChartData.Spec("Delivery decisions per minute", "mailfleet_deliveries", "outcome", true, false, "per minute"),
            new ChartData.Spec("Queue", "mailfleet_queue_messages", "state", false, true, "messages"),
            new ChartData.Spec("Logged-in sessions", "mailfleet_sessions", "protocol", false, false, "sessions"),
            new ChartData.Spec("SMTP clients refused per minute", "mailfleet_smtp_refusals", "reason", true, false, "per minute"),
            new ChartData.Spec("Spam and virus scanner calls per minute", "mailfleet_scanner_calls", "outcome", true, false,
                    "per minute"),
            new ChartData.Spec("Inbound authentication results per minute", "mailfleet_authentication_results", "result",
                    true, false, "per minute"));

    private final ClusterMetricHistory history;
    private final Clock clock;

    ChartPages(ClusterMetricHistory history, Clock clock) {
        this.history = history;
        this.clock = clock;
    }

    Route routes(Visit v) {
        return pathEndOrSingleSlash(() -> get(() -> parameterOptional("hours", h -> {
            int hours = h.filter(x -> x.equals("1") || x.equals("3")).map(Integer::parseInt).orElse(6);
            return page(v, 200, "Charts", page(hours));
        })));
    }

    private Html page(int hours) {
        long to = clock.millis() / 60_000;
        long from = to - 60L * hours;
        Collection<NodeHistory> nodes = history.all().values();
        Html charts = Html.each(CHARTS, spec -> SvgChart.render(spec.family().replace('_', '-'), spec,
                ChartData.lines(spec, nodes, from, to), from, to));
        return Html.of("""
                <p>The whole cluster ({} nodes reporting), one value per minute. Show the last
                <a href="/ui/admin/charts?hours=1">hour</a>, <a href="/ui/admin/charts?hours=3">3 hours</a> or
                <a href="/ui/admin/charts?hours=6">6 hours</a> (now: {} h). Every node samples its metrics
                (<code>mailfleet.web.chart-sampling</code>); for longer history scrape <code>/api/v1/metrics</code> with
                Prometheus (a Grafana dashboard is in <code>docs/monitoring</code>).</p>
                {}
                """, nodes.size(), hours, charts);
    }
}
