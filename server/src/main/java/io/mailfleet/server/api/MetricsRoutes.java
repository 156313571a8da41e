package io.mailfleet.server.api;

import io.mailfleet.server.metrics.NodeMetrics;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

import static io.mailfleet.server.api.JsonResponses.error;

/**
 * {@code GET /api/v1/metrics}: this node's metrics in the Prometheus text format (scrape it with the
 * API token as bearer token); 503 when the queue does not answer.
 */
public final class MetricsRoutes extends AllDirectives {

    private final NodeMetrics metrics;

    public MetricsRoutes(NodeMetrics metrics) {
        this.metrics = metrics;
    }

    /** The route of {@code /api/v1/metrics}. */
    public Route routes() {
        return pathEndOrSingleSlash(() -> get(() -> completeWithFuture(metrics.render()
                .thenApply(text -> HttpResponse.create().withStatus(200).withEntity(ContentTypes.TEXT_PLAIN_UTF8, text))
                .exceptionally(err -> error(503, "unavailable", "metrics not available: " + JsonResponses.cause(err))))));
    }
}
