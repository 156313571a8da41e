package io.mailfleet.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailfleet.core.ratelimit.RateLimiter;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

import static io.mailfleet.server.api.JsonResponses.error;

/**
 * {@code /api/v1/rate-limits}: {@code GET} lists the clients and accounts a rate limit refused within
 * its window, cluster-wide; {@code DELETE ?key=...} forgets every count of a key (a client address,
 * an IPv6 /64 such as {@code 2001:db8::/64}, {@code user:<account>}, or {@code domain:<recipient domain>}).
 */
public final class RateLimitRoutes extends AllDirectives {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RateLimiter limiter;

    public RateLimitRoutes(RateLimiter limiter) {
        this.limiter = limiter;
    }

    /** The routes below {@code /api/v1/rate-limits}. */
    public Route routes() {
        return pathEndOrSingleSlash(() -> concat(
                get(() -> completeWithFuture(guard(limiter.limited().thenApply(list -> {
                    ArrayNode a = JSON.createArrayNode();
                    for (RateLimiter.Limited l : list) {
                        ObjectNode o = a.addObject();
                        o.put("key", l.key());
                        o.put("limit", l.limit());
                        o.put("max", l.max());
                        o.put("windowSeconds", l.windowSeconds());
                        o.put("lastRefused", Instant.ofEpochMilli(l.refusedAt()).toString());
                        o.put("refusals", l.refusals());
                    }
                    return JsonResponses.json(200, a);
                })))),
                delete(() -> parameterOptional("key", key -> {
                    String k = key.map(String::strip).orElse("");
                    if (k.isEmpty()) {
                        return complete(error(400, "invalid-request", "give the key to reset: ?key=<address|network|user:account>"));
                    }
                    return completeWithFuture(guard(limiter.reset(k).thenApply(n -> {
                        ObjectNode o = JSON.createObjectNode();
                        o.put("key", k);
                        o.put("counters", n);
                        return JsonResponses.json(200, o);
                    })));
                }))));
    }

    private static CompletionStage<HttpResponse> guard(CompletionStage<HttpResponse> stage) {
        return stage.exceptionally(err -> {
            Throwable c = JsonResponses.cause(err);
            if (c.getClass().getSimpleName().contains("Timeout")) {
                return error(503, "unavailable", "the rate counters did not answer in time: " + c.getMessage());
            }
            return error(500, "internal-error", c.getClass().getSimpleName() + ": " + c.getMessage());
        });
    }
}
