package io.mailfleet.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailfleet.core.address.InvalidAddressException;
import io.mailfleet.core.address.MailAddress;
import io.mailfleet.core.service.SessionInfo;
import io.mailfleet.core.service.SessionRegistry;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import static io.mailfleet.server.api.JsonResponses.error;

/**
 * {@code /api/v1/sessions}: live IMAP, POP3 and ManageSieve sessions of the whole cluster.
 * {@code GET [?account=a@b]} lists them; {@code DELETE /{account}} disconnects every session of an
 * account, {@code DELETE /{account}/{id}} one. Nothing to kick answers 404 with {@code {code, message}}.
 */
public final class SessionRoutes extends AllDirectives {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SessionRegistry sessions;

    public SessionRoutes(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    /** The routes below {@code /api/v1/sessions}. */
    public Route routes() {
        return concat(
                pathEndOrSingleSlash(() -> get(() -> parameterOptional("account", account -> list(account)))),
                pathPrefix(PathMatchers.segment(), account -> concat(
                        pathEnd(() -> delete(() -> kick(account, Optional.empty()))),
                        path(PathMatchers.segment(), id -> delete(() -> kick(account, Optional.of(id)))))));
    }

    private Route list(Optional<String> account) {
        Optional<String> key;
        try {
            key = account.filter(a -> !a.isBlank()).map(SessionRoutes::accountKey);
        } catch (InvalidAddressException e) {
            return complete(error(400, "invalid-account", "invalid account: " + e.getMessage()));
        }
        CompletionStage<List<SessionInfo>> found = key.map(sessions::list).orElseGet(sessions::listAll);
        return completeWithFuture(guard(found.thenApply(list -> {
            Instant now = Instant.now();
            ArrayNode a = JSON.createArrayNode();
            list.forEach(s -> a.add(json(s, now)));
            return JsonResponses.json(200, a);
        })));
    }

    private Route kick(String account, Optional<String> id) {
        String key;
        try {
            key = accountKey(account);
        } catch (InvalidAddressException e) {
            return complete(error(400, "invalid-account", "invalid account: " + e.getMessage()));
        }
        Optional<String> sessionId = id.map(String::strip).filter(s -> !s.isEmpty());
        return completeWithFuture(guard(sessions.kick(key, sessionId).thenApply(n -> {
            if (n == 0) {
                return error(404, "not-found", sessionId
                        .map(s -> "session " + s + " of " + key + " is not live")
                        .orElse("account " + key + " has no live session"));
            }
            ObjectNode o = JSON.createObjectNode();
            o.put("account", key);
            sessionId.ifPresent(s -> o.put("id", s));
            o.put("kicked", n);
            return JsonResponses.json(200, o);
        })));
    }

    private static String accountKey(String account) {
        return MailAddress.parse(account).key();
    }

    static ObjectNode json(SessionInfo s, Instant now) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", s.id());
        o.put("account", s.account());
        o.put("protocol", s.protocol());
        o.put("node", s.node());
        o.put("remoteIp", s.remoteIp());
        o.put("since", s.since().toString());
        o.put("ageSeconds", Math.max(0, Duration.between(s.since(), now).toSeconds()));
        return o;
    }

    private static CompletionStage<HttpResponse> guard(CompletionStage<HttpResponse> stage) {
        return stage.exceptionally(err -> {
            Throwable c = JsonResponses.cause(err);
            if (c.getClass().getSimpleName().contains("Timeout")) {
                return error(503, "unavailable", "the sessions did not answer in time: " + c.getMessage());
            }
            return error(500, "internal-error", c.getClass().getSimpleName() + ": " + c.getMessage());
        });
    }
}
