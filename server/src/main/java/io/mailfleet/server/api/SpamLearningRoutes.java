package io.mailfleet.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailfleet.server.spam.BulkTraining;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.mailfleet.server.api.JsonResponses.error;
import static io.mailfleet.server.api.JsonResponses.json;

/**
 * {@code POST /api/v1/spam/learn {"account","folder","as":"spam"|"ham"}}: trains the spam filter from an
 * existing folder and answers how many messages it learned and skipped. 409 when no filter learns
 * (neither the built-in classifier nor Rspamd is on), 404 for a folder that does not exist.
 */
public final class SpamLearningRoutes extends AllDirectives {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    private final BulkTraining training;

    public SpamLearningRoutes(BulkTraining training) {
        this.training = training;
    }

    /** The routes below {@code /api/v1/spam}. */
    public Route routes() {
        return path("learn", () -> post(() -> withRequestTimeout(TIMEOUT, () ->
                entity(Unmarshaller.entityToByteArray(), this::learn))));
    }

    private Route learn(byte[] bytes) {
        JsonNode b;
        try {
            b = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (Exception e) {
            return complete(error(400, "invalid-json", "invalid JSON: " + e.getMessage()));
        }
        if (b == null || !b.path("account").isTextual() || !b.path("folder").isTextual() || !b.path("as").isTextual()) {
            return complete(error(400, "invalid-request", "fields 'account', 'folder' and 'as' (spam or ham) are required"));
        }
        String as = b.get("as").asText();
        if (!as.equals("spam") && !as.equals("ham")) {
            return complete(error(400, "invalid-request", "'as' must be spam or ham, got '" + as + "'"));
        }
        if (!training.available()) {
            return complete(error(409, "not-enabled", "no spam filter learns: turn on the built-in scorer "
                    + "(MAILFLEET_SPAM_SCORER=1) or Rspamd (ENABLE_RSPAMD=1)"));
        }
        String account = b.get("account").asText().strip().toLowerCase(java.util.Locale.ROOT);
        return completeWithFuture(training.train(account, b.get("folder").asText(), as.equals("spam"))
                .handle((r, err) -> {
                    if (err == null) {
                        ObjectNode o = JSON.createObjectNode();
                        o.put("account", r.account());
                        o.put("folder", r.folder());
                        o.put("as", r.spam() ? "spam" : "ham");
                        o.put("learned", r.learned());
                        o.put("relearned", r.relearned());
                        o.put("alreadyLearned", r.alreadyLearned());
                        o.put("skipped", r.skipped());
                        o.put("into", r.into());
                        return json(200, o);
                    }
                    Throwable c = JsonResponses.cause(err);
                    if (c instanceof BulkTraining.NoSuchFolder) {
                        return error(404, "no-such-folder", c.getMessage());
                    }
                    return error(503, "unavailable", "training failed: " + c);
                }));
    }
}
