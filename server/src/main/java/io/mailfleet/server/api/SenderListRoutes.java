package io.mailfleet.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailfleet.core.spam.SenderLists;
import io.mailfleet.server.admin.AdminException;
import io.mailfleet.server.admin.SenderListAdmin;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * An account's sender allow and block lists as JSON, below {@code /api/v1/spam-lists/<account>}:
 * {@code GET} both lists, {@code POST /allow} or {@code /block} with {@code {"entry": "x.test"}} adds one,
 * {@code DELETE /allow/<entry>} or {@code /block/<entry>} removes it.
 */
public final class SenderListRoutes extends AllDirectives {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SenderListAdmin admin;

    public SenderListRoutes(SenderListAdmin admin) {
        this.admin = admin;
    }

    /** The routes for {@code account}, below the prefix the caller matched. */
    public Route routes(String account) {
        return concat(
                pathEndOrSingleSlash(() -> get(() -> answer(200, () -> admin.lists(account)
                        .thenApply(l -> listsJson(account, l))))),
                pathPrefix(PathMatchers.segment(), list -> concat(
                        pathEndOrSingleSlash(() -> post(() -> entity(Unmarshaller.entityToByteArray(), bytes ->
                                answer(201, () -> admin.add(account, list, entry(bytes)).thenApply(SenderListRoutes::changeJson))))),
                        path(PathMatchers.segment(), entry -> delete(() -> answer(200, () ->
                                admin.remove(account, list, entry).thenApply(SenderListRoutes::changeJson)))))));
    }

    private static String entry(byte[] bytes) {
        JsonNode b;
        try {
            b = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AdminException("invalid-json", "invalid JSON: " + e.getMessage(), 400);
        }
        if (b == null || !b.isObject() || !b.path("entry").isTextual()) {
            throw new AdminException("invalid-request", "the request body must be {\"entry\": \"<address or domain>\"}", 400);
        }
        return b.get("entry").asText();
    }

    private static JsonNode listsJson(String account, SenderLists l) {
        ObjectNode o = JSON.createObjectNode();
        o.put("account", account.strip().toLowerCase(java.util.Locale.ROOT));
        l.allow().forEach(o.putArray("allow")::add);
        l.block().forEach(o.putArray("block")::add);
        return o;
    }

    private static JsonNode changeJson(SenderListAdmin.Change c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("account", c.account());
        o.put("list", SenderListAdmin.name(c.list()));
        o.put("entry", c.entry());
        return o;
    }

    /** Runs {@code work}; an {@link AdminException} (thrown or completed with) becomes its error answer. */
    private Route answer(int okStatus, Supplier<CompletionStage<JsonNode>> work) {
        return completeWithFuture(JsonResponses.adminAnswer(okStatus, work, "sender lists"));
    }
}
