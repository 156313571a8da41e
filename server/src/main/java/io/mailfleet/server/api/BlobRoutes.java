package io.mailfleet.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailfleet.cluster.blobgc.BlobCollector;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

import java.util.Optional;

import static io.mailfleet.server.api.JsonResponses.error;
import static io.mailfleet.server.api.JsonResponses.json;

/**
 * {@code POST /api/v1/blobs/gc[?dry-run=true]}: one blob garbage collection run on this node, answered
 * with its report once it ended; 409 while one runs here, 503 when the mark could not be completed
 * (nothing was deleted then).
 */
public final class BlobRoutes extends AllDirectives {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlobCollector collector;

    public BlobRoutes(BlobCollector collector) {
        this.collector = collector;
    }

    /** The routes below {@code /api/v1/blobs}. */
    public Route routes() {
        // A run lists the whole store: far longer than the server's default 20 s request timeout.
        return path("gc", () -> post(() -> withRequestTimeout(java.time.Duration.ofMinutes(10),
                () -> parameterOptional("dry-run", dry -> run(dry)))));
    }

    private Route run(Optional<String> dryRun) {
        String d = dryRun.orElse("false").strip().toLowerCase(java.util.Locale.ROOT);
        if (!d.equals("true") && !d.equals("false")) {
            return complete(error(400, "invalid-parameter", "dry-run must be true or false, got '" + dryRun.get() + "'"));
        }
        return completeWithFuture(collector.run(d.equals("true")).thenApply(r -> {
            ObjectNode o = JSON.createObjectNode();
            o.put("dryRun", r.dryRun());
            o.put("partitions", r.partitions());
            o.put("mailboxes", r.mailboxes());
            o.put("referenced", r.referenced());
            o.put("listed", r.listed());
            o.put("deleted", r.deleted());
            o.put("bytesFreed", r.bytesFreed());
            o.put("deleteFailures", r.deleteFailures());
            o.put("cutoff", r.cutoff().toString());
            o.put("millis", r.took().toMillis());
            return json(200, o);
        }).exceptionally(BlobRoutes::failure));
    }

    private static HttpResponse failure(Throwable err) {
        Throwable c = JsonResponses.cause(err);
        if (c instanceof IllegalStateException) {
            return error(409, "conflict", c.getMessage());
        }
        return error(503, "unavailable", "blob collection aborted, nothing deleted: " + c);
    }
}
