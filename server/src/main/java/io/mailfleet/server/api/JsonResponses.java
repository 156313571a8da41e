package io.mailfleet.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** The management API's JSON answers: a body with a status, or an error {@code {code, message}}. */
final class JsonResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonResponses() {
    }

    /** {@code body} rendered as JSON with {@code status}. */
    static HttpResponse json(int status, Object body) {
        try {
            return HttpResponse.create().withStatus(status)
                    .withEntity(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    /** An error answer: {@code {"code": code, "message": message}} with {@code status}. */
    static HttpResponse error(int status, String code, String message) {
        ObjectNode o = JSON.createObjectNode();
        o.put("code", code);
        o.put("message", message);
        return json(status, o);
    }

    /** The failure a future completed with, without the CompletionException wrappers around it. */
    static Throwable cause(Throwable err) {
        Throwable c = err;
        while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /**
     * The answer of an admin-service call: {@code okStatus} with its JSON body, an
     * {@link io.mailfleet.server.admin.AdminException} (thrown or completed with) as its own error, any other
     * failure as 503 naming {@code service}.
     */
    static java.util.concurrent.CompletionStage<HttpResponse> adminAnswer(int okStatus,
            java.util.function.Supplier<java.util.concurrent.CompletionStage<com.fasterxml.jackson.databind.JsonNode>> work,
            String service) {
        java.util.concurrent.CompletionStage<com.fasterxml.jackson.databind.JsonNode> stage;
        try {
            stage = work.get();
        } catch (RuntimeException e) {
            stage = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        return stage.handle((body, err) -> {
            if (err == null) {
                return json(okStatus, body);
            }
            Throwable c = cause(err);
            if (c instanceof io.mailfleet.server.admin.AdminException a) {
                return error(a.httpStatus(), a.code(), a.getMessage());
            }
            return error(503, "unavailable", service + " not available: " + c);
        });
    }
}
