package io.mailfleet.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailfleet.cluster.queue.ClusterMailQueue;
import io.mailfleet.cluster.queue.QueueEntry;
import io.mailfleet.cluster.queue.QueuePartition.ControlAction;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

import static io.mailfleet.server.api.JsonResponses.error;
import static io.mailfleet.server.api.JsonResponses.json;

/**
 * {@code /api/v1/queue}: {@code GET ?sender=&recipient=&status=&older-than=} lists queued messages,
 * {@code GET /{id}} shows one, {@code POST /flush} retries every deferred message now,
 * {@code POST /{id}/flush} one, {@code POST /{id}/bounce} returns it to its sender,
 * {@code DELETE /{id}} drops it. Unknown ids answer 404 with {@code {code, message}}.
 */
public final class QueueRoutes extends AllDirectives {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClusterMailQueue queue;

    public QueueRoutes(ClusterMailQueue queue) {
        this.queue = queue;
    }

    /** The routes below {@code /api/v1/queue}. */
    public Route routes() {
        return concat(
                pathEndOrSingleSlash(() -> get(() -> parameterOptional("sender", sender ->
                        parameterOptional("recipient", rcpt -> parameterOptional("status", status ->
                                parameterOptional("older-than", age -> list(sender, rcpt, status, age))))))),
                path("flush", () -> post(() -> completeWithFuture(guard(queue.control(ControlAction.FLUSH, null)
                        .thenApply(n -> json(200, JSON.createObjectNode().put("flushed", n))))))),
                pathPrefix(PathMatchers.segment(), rawId -> {
                    String id = rawId.strip().toUpperCase(Locale.ROOT);
                    return concat(
                            pathEnd(() -> concat(
                                    get(() -> completeWithFuture(guard(queue.show(id).thenApply(e -> e
                                            .map(x -> json(200, QueueJson.detail(x, Instant.now())))
                                            .orElseGet(() -> notFound(id)))))),
                                    delete(() -> control(id, ControlAction.DELETE, "deleted")))),
                            path("flush", () -> post(() -> control(id, ControlAction.FLUSH, "flushed"))),
                            path("bounce", () -> post(() -> control(id, ControlAction.BOUNCE, "bounced"))));
                }));
    }

    private Route list(Optional<String> sender, Optional<String> rcpt, Optional<String> status, Optional<String> age) {
        QueueFilter filter;
        try {
            filter = new QueueFilter(sender.filter(s -> !s.isBlank()), rcpt.filter(s -> !s.isBlank()),
                    status.filter(s -> !s.isBlank()).map(QueueState::parse),
                    age.filter(s -> !s.isBlank()).map(QueueFilter::parseAge));
        } catch (IllegalArgumentException e) {
            return complete(error(400, "invalid-argument", e.getMessage()));
        }
        return completeWithFuture(guard(queue.inspect().thenApply(entries -> {
            Instant now = Instant.now();
            ArrayNode a = JSON.createArrayNode();
            for (QueueEntry e : entries) {
                if (filter.matches(e, now)) {
                    a.add(QueueJson.summary(e, now));
                }
            }
            return json(200, a);
        })));
    }

    /** Looks the message up first so that an unknown id is a 404 and a settled one a 409. */
    private Route control(String id, ControlAction action, String verb) {
        CompletionStage<HttpResponse> r = queue.show(id).thenCompose(entry -> {
            if (entry.isEmpty()) {
                return CompletableFuture.completedFuture(notFound(id));
            }
            return queue.control(action, id).thenApply(n -> {
                if (n == 0) {
                    return error(409, "nothing-to-do", "queue id " + id + " has no target waiting for delivery;"
                            + " it leaves the queue once its notice to the sender is queued");
                }
                ObjectNode o = JSON.createObjectNode();
                o.put("id", id);
                o.put(verb, n);
                return json(200, o);
            });
        });
        return completeWithFuture(guard(r));
    }

    private static CompletionStage<HttpResponse> guard(CompletionStage<HttpResponse> stage) {
        return stage.exceptionally(err -> {
            Throwable c = JsonResponses.cause(err);
            if (c instanceof TimeoutException || c.getClass().getSimpleName().contains("Timeout")) {
                return error(503, "unavailable", "the queue did not answer in time: " + c.getMessage());
            }
            return error(500, "internal-error", c.getClass().getSimpleName() + ": " + c.getMessage());
        });
    }

    private static HttpResponse notFound(String id) {
        return error(404, "not-found", "queue id " + id + " is not in the queue");
    }
}
