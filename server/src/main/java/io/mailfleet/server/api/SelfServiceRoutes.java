package io.mailfleet.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailfleet.core.ban.BanService;
import io.mailfleet.core.service.Authenticator;
import io.mailfleet.server.admin.AdminException;
import io.mailfleet.server.admin.DirectoryAdmin;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code /api/v1/self}: what a user manages with their own mail login (HTTP Basic, the account's
 * password; an app password is not accepted here): {@code PUT /password {"password"}} and
 * {@code /app-passwords} ({@link AppPasswordRoutes}). A login goes through the same authenticator as
 * IMAP or SMTP, so a failure counts toward the client's ban like any other, and a banned address is
 * refused before its password is looked at.
 */
public final class SelfServiceRoutes extends AllDirectives {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The authenticator's protocol name: no app password has this scope. */
    static final String PROTOCOL = "self-service";

    private final Authenticator authenticator;
    private final BanService bans;
    private final DirectoryAdmin directory;
    private final AppPasswordRoutes appPasswords;
    private final Duration failureDelay;
    private final ActorSystem<?> system;

    /**
     * @param failureDelay the least time a failed login takes to be answered ({@code mailfleet.login.failure-delay},
     *                     as on the mail protocols); a scheduler timer, no thread waits
     */
    public SelfServiceRoutes(Authenticator authenticator, BanService bans, DirectoryAdmin directory,
                             AppPasswordRoutes appPasswords, Duration failureDelay, ActorSystem<?> system) {
        this.authenticator = authenticator;
        this.bans = bans;
        this.directory = directory;
        this.appPasswords = appPasswords;
        this.failureDelay = failureDelay;
        this.system = system;
    }

    public Route routes() {
        return pathPrefix("api", () -> pathPrefix("v1", () -> pathPrefix("self", () -> loggedIn(account -> concat(
                path("password", () -> put(() -> entity(Unmarshaller.entityToByteArray(), b -> changePassword(account, b)))),
                pathPrefix("app-passwords", () -> appPasswords.routes(account)))))));
    }

    private Route loggedIn(Function<String, Route> inner) {
        return extractRequest(req -> optionalHeaderValueByName("Authorization", header -> {
            Optional<String[]> credentials = header.flatMap(SelfServiceRoutes::basic);
            if (credentials.isEmpty()) {
                return challenge("log in with your mail address and password (HTTP Basic)");
            }
            Optional<InetAddress> remote = req.getAttribute(AttributeKeys.remoteAddress)
                    .flatMap(RemoteAddress::getAddress);
            String ip = remote.map(InetAddress::getHostAddress).orElse("");
            if (remote.isPresent() && bans.isBanned(remote.get())) {
                return complete(JsonResponses.error(429, "banned", "too many failed logins from " + ip));
            }
            long began = System.nanoTime();
            return onSuccess(authenticator.authenticate(credentials.get()[0], credentials.get()[1], PROTOCOL, ip),
                    r -> r.success() ? inner.apply(r.account()) : delayedChallenge(began));
        }));
    }

    /** The failure answered no sooner than the failure delay after the attempt began. */
    private Route delayedChallenge(long beganNanos) {
        Duration left = failureDelay.minusNanos(System.nanoTime() - beganNanos);
        if (left.isNegative() || left.isZero()) {
            return challenge("authentication failure");
        }
        CompletableFuture<Boolean> waited = new CompletableFuture<>();
        system.scheduler().scheduleOnce(left, () -> waited.complete(true), system.executionContext());
        return onSuccess(waited, x -> challenge("authentication failure"));
    }

    private Route challenge(String message) {
        return respondWithHeader(WWWAuthenticate.create(HttpChallenge.create("Basic", "mailfleet")),
                () -> complete(JsonResponses.error(401, "unauthorized", message)));
    }

    /** user and password of a Basic header (RFC 7617), UTF-8. */
    static Optional<String[]> basic(String header) {
        String h = header.trim();
        if (!h.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            return Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Route changePassword(String account, byte[] bytes) {
        String password;
        try {
            JsonNode b = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
            JsonNode p = b == null ? null : b.get("password");
            if (p == null || !p.isTextual() || p.asText().isEmpty()) {
                return complete(JsonResponses.error(400, "invalid-request", "field 'password' (a non-empty string) is required"));
            }
            password = p.asText();
        } catch (Exception e) {
            return complete(JsonResponses.error(400, "invalid-json", "invalid JSON: " + e.getMessage()));
        }
        return completeWithFuture(directory.updatePassword(account, password).handle((r, err) -> {
            if (err == null) {
                ObjectNode o = JSON.createObjectNode();
                o.put("address", r.address());
                o.put("changed", r.changed());
                return JsonResponses.json(200, o);
            }
            Throwable c = JsonResponses.cause(err);
            if (c instanceof AdminException a) {
                return JsonResponses.error(a.httpStatus(), a.code(), a.getMessage());
            }
            return JsonResponses.error(503, "unavailable", "password not changed: " + c);
        }));
    }
}
