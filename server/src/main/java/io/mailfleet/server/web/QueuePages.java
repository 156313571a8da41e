package io.mailfleet.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailfleet.cluster.queue.ClusterMailQueue;
import io.mailfleet.cluster.queue.QueuePartition.ControlAction;
import io.mailfleet.server.api.QueueJson;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code /ui/admin/queue}: the cluster's mail queue (the same data as {@code GET /api/v1/queue}),
 * filtered by sender or recipient; one message's envelope and per-recipient status; retry, bounce, delete.
 */
final class QueuePages extends WebPages {

    private static final String BASE = "/ui/admin/queue";

    private final ClusterMailQueue queue;

    QueuePages(ClusterMailQueue queue) {
        this.queue = queue;
    }

    Route routes(Visit v) {
        return concat(
                pathEndOrSingleSlash(() -> get(() -> parameterOptional("q", q -> pageLater(v, "Queue", list(v, q))))),
                path("flush", () -> post(() -> form(v, f -> done(v, BASE, queue.control(ControlAction.FLUSH, null)
                        .thenApply(n -> n + " deferred message(s) will be retried now."))))),
                pathPrefix(PathMatchers.segment(), raw -> {
                    String id = raw.strip().toUpperCase(Locale.ROOT);
                    String self = BASE + "/" + Layout.segment(id);
                    return concat(
                            pathEndOrSingleSlash(() -> get(() -> detail(v, id))),
                            path("retry", () -> post(() -> form(v, f -> done(v, self,
                                    control(id, ControlAction.FLUSH, "Message " + id + " will be retried now."))))),
                            path("bounce", () -> post(() -> form(v, f -> done(v, self,
                                    control(id, ControlAction.BOUNCE, "Message " + id + " returned to its sender."))))),
                            path("delete", () -> post(() -> form(v, f -> done(v, BASE,
                                    control(id, ControlAction.DELETE, "Message " + id + " deleted without notice."))))));
                }));
    }

    private CompletionStage<String> control(String id, ControlAction action, String said) {
        return queue.show(id).thenCompose(e -> e.isEmpty()
                ? CompletableFuture.failedFuture(new IllegalArgumentException("Queue id " + id + " is not in the queue."))
                : queue.control(action, id).thenApply(n -> {
                    if (n == 0) {
                        throw new IllegalArgumentException("Queue id " + id + " has no target waiting for delivery.");
                    }
                    return said;
                }));
    }

    private CompletionStage<Html> list(Visit v, Optional<String> filter) {
        String q = filter.map(String::strip).orElse("").toLowerCase(Locale.ROOT);
        return queue.inspect().thenApply(entries -> {
            Instant now = Instant.now();
            List<JsonNode> shown = new ArrayList<>();
            entries.forEach(e -> {
                ObjectNode s = QueueJson.summary(e, now);
                if (q.isEmpty() || s.path("sender").asText().toLowerCase(Locale.ROOT).contains(q)
                        || s.path("recipients").toString().toLowerCase(Locale.ROOT).contains(q)) {
                    shown.add(s);
                }
            });
            Html rows = Html.each(shown, s -> Html.of("""
                    <tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>
                    """, BASE + "/" + Layout.segment(s.path("id").asText()), s.path("id").asText(),
                    s.path("sender").asText(), join(s.path("recipients")), s.path("status").asText(),
                    s.path("attempts").asInt(), age(s.path("ageSeconds").asLong()), text(s.path("reason"))));
            return Html.of("""
                    <form method="get" action="/ui/admin/queue" role="search">
                    <label for="q">Filter by sender or recipient</label>
                    <input type="text" id="q" name="q" value="{}">
                    <button type="submit">Filter</button>
                    </form>
                    <form method="post" action="/ui/admin/queue/flush">{}<button type="submit">Retry every deferred message now</button></form>
                    <h2>{} of {} queued messages</h2>
                    <table id="queue">
                    <thead><tr><th scope="col">Queue id</th><th scope="col">Sender</th><th scope="col">Recipients</th>
                    <th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Age</th><th scope="col">Last reason</th></tr></thead>
                    <tbody>
                    {}
                    </tbody>
                    </table>
                    """, q, Layout.csrf(v.csrf()), shown.size(), entries.size(), rows);
        });
    }

    private Route detail(Visit v, String id) {
        return completeWithFuture(queue.show(id).handle((e, err) -> {
            if (err != null) {
                return html(503, Layout.page("Queue", v.session(), v.csrf(), Optional.of(new Layout.Notice(true, failure(err))),
                        Html.empty()), false, v.secure());
            }
            if (e.isEmpty()) {
                return html(404, Layout.page("Not in the queue", v.session(), v.csrf(), v.notice(), Html.of(
                        "<p>{} is not in the queue (any more). <a href=\"/ui/admin/queue\">Back to the queue</a></p>", id)),
                        v.notice().isPresent(), v.secure());
            }
            ObjectNode d = QueueJson.detail(e.get(), Instant.now());
            JsonNode env = d.path("envelope");
            String self = BASE + "/" + Layout.segment(id);
            Html targets = Html.each(list(d.path("targets")), t -> Html.of("""
                    <tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>
                    """, t.path("recipient").asText(), t.path("address").asText(), t.path("kind").asText(),
                    t.path("state").asText(), text(t.path("reason")),
                    t.path("lastAttempt").isNull() ? "none" : text(t.path("lastAttempt").path("at")) + ": "
                            + text(t.path("lastAttempt").path("reply")) + " (remote MTA: "
                            + text(t.path("lastAttempt").path("remoteMta")) + ")"));
            Html main = Html.of("""
                    <h2>Envelope</h2>
                    <dl class="facts" id="envelope">
                    <dt>Sender</dt><dd>{}</dd>
                    <dt>Recipients</dt><dd>{}</dd>
                    <dt>Received</dt><dd>{}</dd>
                    <dt>Size</dt><dd>{}</dd>
                    <dt>Status</dt><dd>{}</dd>
                    <dt>Attempts</dt><dd>{}</dd>
                    <dt>Next attempt</dt><dd>{}</dd>
                    <dt>HELO</dt><dd>{}</dd>
                    <dt>Client address</dt><dd>{}</dd>
                    <dt>Authenticated user</dt><dd>{}</dd>
                    </dl>
                    <h2>Recipients</h2>
                    <table id="targets">
                    <thead><tr><th scope="col">Envelope recipient</th><th scope="col">Delivered to</th><th scope="col">Kind</th>
                    <th scope="col">State</th><th scope="col">Reason</th><th scope="col">Last attempt</th></tr></thead>
                    <tbody>
                    {}
                    </tbody>
                    </table>
                    <h2>Actions</h2>
                    <form class="inline" method="post" action="{}/retry">{}<button type="submit">Retry now</button></form>
                    <form class="inline" method="post" action="{}/bounce">{}<button type="submit">Return to sender</button></form>
                    <form class="inline" method="post" action="{}/delete">{}<button type="submit" class="danger">Delete without notice</button></form>
                    """, text(env.path("sender")), join(d.path("recipients")), d.path("receivedAt").asText(),
                    Layout.bytes(d.path("size").asLong()), d.path("status").asText(), d.path("attempts").asInt(),
                    text(d.path("nextAttempt")), text(env.path("helo")), text(env.path("clientAddress")),
                    text(env.path("authenticatedUser")), targets, self, Layout.csrf(v.csrf()), self,
                    Layout.csrf(v.csrf()), self, Layout.csrf(v.csrf()));
            return html(200, Layout.page("Message " + id, v.session(), v.csrf(), v.notice(), main), v.notice().isPresent(), v.secure());
        }));
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static String join(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return String.join(", ", out);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? "" : n.asText();
    }

    private static String age(long seconds) {
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min";
        }
        return seconds / 3600 + " h";
    }
}
