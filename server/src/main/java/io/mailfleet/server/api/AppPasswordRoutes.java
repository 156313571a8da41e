package io.mailfleet.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailfleet.core.auth.AppPassword;
import io.mailfleet.server.admin.AdminException;
import io.mailfleet.server.admin.AppPasswordAdmin;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The app passwords of one account as JSON: {@code GET} lists them (never a hash), {@code POST
 * {"name","scopes","expires","networks"}} makes one and answers its password once, {@code DELETE /<name>}
 * revokes it. Mounted by the management API ({@code /api/v1/app-passwords/<account>}, admin token) and the
 * self-service routes ({@code /api/v1/self/app-passwords}, the user's own credentials).
 */
public final class AppPasswordRoutes extends AllDirectives {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AppPasswordAdmin admin;

    public AppPasswordRoutes(AppPasswordAdmin admin) {
        this.admin = admin;
    }

    /** The routes for {@code account}, below the prefix the caller matched. */
    public Route routes(String account) {
        return concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> answer(200, () -> admin.list(account).thenApply(AppPasswordRoutes::listJson))),
                        post(() -> entity(Unmarshaller.entityToByteArray(), bytes -> answer(201, () -> add(account, bytes)))))),
                path(PathMatchers.segment(), name -> delete(() -> answer(200, () -> admin.revoke(account, name)
                        .thenApply(a -> {
                            ObjectNode o = JSON.createObjectNode();
                            o.put("account", a);
                            o.put("revoked", name);
                            return o;
                        })))));
    }

    private CompletionStage<JsonNode> add(String account, byte[] bytes) {
        JsonNode b;
        try {
            b = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AdminException("invalid-json", "invalid JSON: " + e.getMessage(), 400);
        }
        if (b == null || !b.isObject()) {
            throw new AdminException("invalid-json", "the request body must be a JSON object", 400);
        }
        JsonNode expires = b.get("expires");
        return admin.add(account, textOrNull(b, "name"), strings(b, "scopes"),
                        expires == null || expires.isNull() ? null : expires.asText(), strings(b, "networks"))
                .thenApply(c -> {
                    ObjectNode o = json(c.details());
                    o.put("account", c.account());
                    o.put("password", c.password());
                    return o;
                });
    }

    private static String textOrNull(JsonNode b, String field) {
        JsonNode v = b.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private static List<String> strings(JsonNode b, String field) {
        JsonNode v = b.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw new AdminException("invalid-request", "field '" + field + "' must be a list of strings", 400);
        }
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new AdminException("invalid-request", "field '" + field + "' must be a list of strings", 400);
            }
            out.add(e.asText());
        }
        return out;
    }

    private static JsonNode listJson(List<AppPassword> list) {
        ArrayNode a = JSON.createArrayNode();
        list.forEach(p -> a.add(json(p)));
        return a;
    }

    private static ObjectNode json(AppPassword p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", p.name());
        p.scopes().forEach(o.putArray("scopes")::add);
        if (p.expiresAt() == null) {
            o.putNull("expires");
        } else {
            o.put("expires", p.expiresAt().toString());
        }
        p.networks().forEach(o.putArray("networks")::add);
        o.put("created", p.createdAt().toString());
        return o;
    }

    /** Runs {@code work}; an {@link AdminException} (thrown or completed with) becomes its error answer. */
    private Route answer(int okStatus, Supplier<CompletionStage<JsonNode>> work) {
        return completeWithFuture(JsonResponses.adminAnswer(okStatus, work, "app passwords"));
    }
}
