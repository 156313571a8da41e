package io.mailfleet.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailfleet.cluster.fetchmail.FetchmailEntity.SourceStatus;
import io.mailfleet.core.fetchmail.FetchmailSource;
import io.mailfleet.server.fetchmail.Fetchmail;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static io.mailfleet.server.api.JsonResponses.error;
import static io.mailfleet.server.api.JsonResponses.json;

/**
 * {@code GET /api/v1/fetchmail}: whether fetchmail (or getmail) is on, the {@code fetchmail.cf} entries and
 * {@code getmail-*.cf} files refused, and each
 * source's last poll, count fetched and last error. {@code POST /api/v1/fetchmail/run[?source=]}: polls one
 * source (or all) now and answers when the polls have ended. 409 while {@code ENABLE_FETCHMAIL} is off, 404
 * for a source not in the file.
 */
public final class FetchmailRoutes extends AllDirectives {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    private final Fetchmail fetchmail;

    public FetchmailRoutes(Fetchmail fetchmail) {
        this.fetchmail = fetchmail;
    }

    /** The routes below {@code /api/v1/fetchmail}. */
    public Route routes() {
        return concat(
                pathEndOrSingleSlash(() -> get(this::list)),
                path("run", () -> post(() -> withRequestTimeout(RUN_TIMEOUT.plusMinutes(1), () ->
                        parameterOptional("source", this::run)))));
    }

    private Route list() {
        ObjectNode o = JSON.createObjectNode();
        o.put("enabled", fetchmail.enabled());
        o.put("file", fetchmail.settings().file().map(Object::toString).orElse(null));
        o.put("pollSeconds", fetchmail.settings().poll().toSeconds());
        o.put("getmailEnabled", fetchmail.getmailSettings().enabled());
        o.put("getmailDir", fetchmail.getmailSettings().dir().map(Object::toString).orElse(null));
        o.put("getmailPollMinutes", fetchmail.getmailSettings().poll().toMinutes());
        ArrayNode problems = o.putArray("problems");
        fetchmail.config().problems().forEach(problems::add);
        ArrayNode notes = o.putArray("notes");
        fetchmail.config().notes().forEach(notes::add);
        return completeWithFuture(guard(fetchmail.statuses().thenApply(list -> {
            ArrayNode sources = o.putArray("sources");
            list.forEach(s -> sources.add(status(s)));
            return json(200, o);
        })));
    }

    private Route run(Optional<String> source) {
        if (!fetchmail.enabled()) {
            return complete(error(409, "disabled", "fetchmail is off: set ENABLE_FETCHMAIL=1"));
        }
        List<String> names = new ArrayList<>();
        if (source.filter(s -> !s.isBlank()).isPresent()) {
            String name = source.get().strip();
            if (fetchmail.source(name).isEmpty()) {
                return complete(error(404, "not-found", "no source " + name + " in fetchmail.cf"));
            }
            names.add(name);
        } else {
            fetchmail.config().sources().forEach(s -> names.add(s.name()));
        }
        List<CompletableFuture<SourceStatus>> runs = names.stream()
                .map(n -> fetchmail.run(n, RUN_TIMEOUT).toCompletableFuture()).toList();
        CompletionStage<HttpResponse> done = CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new))
                .thenApply(v -> {
                    ObjectNode o = JSON.createObjectNode();
                    ArrayNode sources = o.putArray("sources");
                    runs.forEach(r -> sources.add(status(r.join())));
                    return json(200, o);
                });
        return completeWithFuture(guard(done));
    }

    private ObjectNode status(SourceStatus s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", s.name());
        fetchmail.source(s.name()).ifPresent((FetchmailSource src) -> {
            o.put("protocol", src.protocol().lowerName());
            o.put("host", src.host());
            o.put("port", src.port());
            o.put("localRecipient", src.localRecipient());
            o.put("keep", src.keep());
            o.put("ssl", src.ssl());
            o.put("folder", src.folderOrInbox());
            o.put("idle", src.protocol() == FetchmailSource.Protocol.IMAP && src.idle());
        });
        o.put("polling", s.polling());
        o.put("watching", s.watching());
        o.put("lastPoll", time(s.lastPoll()));
        o.put("lastSuccess", time(s.lastSuccess()));
        o.put("nextPoll", time(s.nextPoll()));
        o.put("fetchedTotal", s.fetchedTotal());
        o.put("lastFetched", s.lastFetched());
        o.put("lastError", s.lastError());
        o.put("failures", s.failures());
        o.put("knownIds", s.knownIds());
        return o;
    }

    private static String time(long millis) {
        return millis <= 0 ? null : Instant.ofEpochMilli(millis).toString();
    }

    private static CompletionStage<HttpResponse> guard(CompletionStage<HttpResponse> stage) {
        return stage.exceptionally(err -> {
            Throwable c = JsonResponses.cause(err);
            if (c.getClass().getSimpleName().contains("Timeout")) {
                return error(503, "unavailable", "the fetchmail sources did not answer in time: " + c.getMessage());
            }
            return error(500, "internal-error", c.getClass().getSimpleName() + ": " + c.getMessage());
        });
    }
}
