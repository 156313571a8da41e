package io.mailfleet.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailfleet.core.directory.DirectoryChange.RestrictionKind;
import io.mailfleet.server.admin.AccountInfo;
import io.mailfleet.server.admin.AdminException;
import io.mailfleet.server.admin.AliasInfo;
import io.mailfleet.server.admin.ChangeResult;
import io.mailfleet.server.admin.DirectoryAdmin;
import io.mailfleet.server.admin.DomainInfo;
import io.mailfleet.server.admin.QuotaUsage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/** The {@code /api/v1} routes of the management API: bearer token on every route, JSON in and out. */
public final class ManagementRoutes extends AllDirectives {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] token;
    private final DirectoryAdmin admin;
    private final NodeStatusSource status;
    private final BanRoutes bans;
    private final QueueRoutes queue;
    private final SessionRoutes sessions;
    // the optional route groups: set only on a fresh copy (see copy), so a published instance never changes
    private BlobRoutes blobs;
    private BackupRoutes backup;
    private MetricsRoutes metrics;
    private RateLimitRoutes rateLimits;
    private ImportRoutes imports;
    private AppPasswordRoutes appPasswords;
    private FetchmailRoutes fetchmail;
    private DnsRoutes dns;
    private SenderListRoutes senderLists;
    private SpamLearningRoutes spam;

    public ManagementRoutes(String token, DirectoryAdmin admin, NodeStatusSource status) {
        this(token, admin, status, BanRoutes.disabled());
    }

    public ManagementRoutes(String token, DirectoryAdmin admin, NodeStatusSource status, BanRoutes bans) {
        this(token, admin, status, bans, null);
    }

    public ManagementRoutes(String token, DirectoryAdmin admin, NodeStatusSource status, BanRoutes bans,
                            QueueRoutes queue) {
        this(token, admin, status, bans, queue, null);
    }

    /** {@code queue} or {@code sessions} null leaves {@code /api/v1/queue} or {@code /sessions} out (404). */
    public ManagementRoutes(String token, DirectoryAdmin admin, NodeStatusSource status, BanRoutes bans,
                            QueueRoutes queue, SessionRoutes sessions) {
        this.token = checkedToken(token);
        this.admin = admin;
        this.status = status;
        this.bans = bans;
        this.queue = queue;
        this.sessions = sessions;
    }

    /** A copy of {@code o}: every route group it has. */
    private ManagementRoutes(ManagementRoutes o) {
        this.token = o.token;
        this.admin = o.admin;
        this.status = o.status;
        this.bans = o.bans;
        this.queue = o.queue;
        this.sessions = o.sessions;
        this.blobs = o.blobs;
        this.backup = o.backup;
        this.metrics = o.metrics;
        this.rateLimits = o.rateLimits;
        this.imports = o.imports;
        this.appPasswords = o.appPasswords;
        this.fetchmail = o.fetchmail;
        this.dns = o.dns;
        this.senderLists = o.senderLists;
        this.spam = o.spam;
    }

    /** A copy of these routes with {@code change} applied: how the {@code with} methods add a route group. */
    private ManagementRoutes copy(Consumer<ManagementRoutes> change) {
        ManagementRoutes c = new ManagementRoutes(this);
        change.accept(c);
        return c;
    }

    private static byte[] checkedToken(String token) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("the management API needs a token");
        }
        return token.getBytes(StandardCharsets.UTF_8);
    }

    /** These routes with {@code /api/v1/blobs}; without it the path answers 404. */
    public ManagementRoutes withBlobs(BlobRoutes blobRoutes) {
        return copy(c -> c.blobs = blobRoutes);
    }

    /** These routes with {@code /api/v1/backup}; without it the path answers 404. */
    public ManagementRoutes withBackup(BackupRoutes backupRoutes) {
        return copy(c -> c.backup = backupRoutes);
    }

    /** These routes with {@code /api/v1/metrics}; without it the path answers 404. */
    public ManagementRoutes withMetrics(MetricsRoutes metricsRoutes) {
        return copy(c -> c.metrics = metricsRoutes);
    }

    /** These routes with {@code /api/v1/rate-limits}; without it the path answers 404. */
    public ManagementRoutes withRateLimits(RateLimitRoutes routes) {
        return copy(c -> c.rateLimits = routes);
    }

    /** These routes with {@code /api/v1/import}; without it the path answers 404. */
    public ManagementRoutes withImport(ImportRoutes importRoutes) {
        return copy(c -> c.imports = importRoutes);
    }

    /** These routes with {@code /api/v1/app-passwords/<account>}; without it the path answers 404. */
    public ManagementRoutes withAppPasswords(AppPasswordRoutes routes) {
        return copy(c -> c.appPasswords = routes);
    }

    /** These routes with {@code /api/v1/fetchmail}; without it the path answers 404. */
    public ManagementRoutes withFetchmail(FetchmailRoutes fetchmailRoutes) {
        return copy(c -> c.fetchmail = fetchmailRoutes);
    }

    /** These routes with {@code /api/v1/dns/<domain>}; without it the path answers 404. */
    public ManagementRoutes withDns(DnsRoutes dnsRoutes) {
        return copy(c -> c.dns = dnsRoutes);
    }

    /** These routes with {@code /api/v1/spam-lists/<account>}; without it the path answers 404. */
    public ManagementRoutes withSenderLists(SenderListRoutes routes) {
        return copy(c -> c.senderLists = routes);
    }

    /** These routes with {@code /api/v1/spam/learn}; without it the path answers 404. */
    public ManagementRoutes withSpamLearning(SpamLearningRoutes spamRoutes) {
        return copy(c -> c.spam = spamRoutes);
    }

    public Route routes() {
        return handleExceptions(exceptionHandler(), () -> handleRejections(rejectionHandler(), () ->
                authenticated(() -> pathPrefix("api", () -> pathPrefix("v1", () -> concat(
                        pathPrefix("accounts", this::accounts),
                        pathPrefix("aliases", this::aliases),
                        pathPrefix("quotas", this::quotas),
                        pathPrefix("restrictions", this::restrictions),
                        pathPrefix("fail2ban", bans::routes),
                        pathPrefix("queue", () -> queue != null ? queue.routes() : reject()),
                        pathPrefix("sessions", () -> sessions != null ? sessions.routes() : reject()),
                        pathPrefix("blobs", () -> blobs != null ? blobs.routes() : reject()),
                        pathPrefix("backup", () -> backup != null ? backup.routes() : reject()),
                        pathPrefix("metrics", () -> metrics != null ? metrics.routes() : reject()),
                        pathPrefix("rate-limits", () -> rateLimits != null ? rateLimits.routes() : reject()),
                        pathPrefix("import", () -> imports != null ? imports.routes() : reject()),
                        pathPrefix("export", () -> imports != null ? imports.exportRoutes() : reject()),
                        pathPrefix("app-passwords", () -> appPasswords != null
                                ? pathPrefix(PathMatchers.segment(), appPasswords::routes) : reject()),
                        pathPrefix("fetchmail", () -> fetchmail != null ? fetchmail.routes() : reject()),
                        pathPrefix("dns", () -> dns != null ? dns.routes() : reject()),
                        pathPrefix("spam-lists", () -> senderLists != null
                                ? pathPrefix(PathMatchers.segment(), senderLists::routes) : reject()),
                        pathPrefix("spam", () -> spam != null ? spam.routes() : reject()),
                        path("domains", () -> get(() -> json(200, domainsJson()))),
                        path(PathMatchers.segment("cluster").slash("members"), () -> get(() -> json(200, clusterJson()))),
                        path("health", () -> get(this::health))))))));
    }

    private Route accounts() {
        return concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> json(200, accountsJson(admin.listAccounts()))),
                        post(() -> body(b -> change(201, admin.addAccount(text(b, "address"), text(b, "password"))))))),
                pathPrefix(PathMatchers.segment(), address -> concat(
                        pathEnd(() -> delete(() -> parameterOptional("purge-mailbox", purge -> {
                            String p = purge.orElse("false").strip().toLowerCase(java.util.Locale.ROOT);
                            if (!p.equals("true") && !p.equals("false")) {
                                return error(400, "invalid-request", "purge-mailbox must be true or false, got '"
                                        + purge.get() + "'");
                            }
                            return change(200, admin.deleteAccount(address, p.equals("true")));
                        }))),
                        path("password", () -> put(() -> body(b -> change(200, admin.updatePassword(address, text(b, "password"))))))))
        );
    }

    private Route aliases() {
        return pathEndOrSingleSlash(() -> concat(
                get(() -> json(200, aliasesJson(admin.listAliases()))),
                post(() -> body(b -> change(201, admin.addAlias(text(b, "alias"), text(b, "target"))))),
                delete(() -> parameterOptional("alias", alias -> parameterOptional("target", target ->
                        change(200, admin.removeAlias(alias.orElse(""), target.orElse("")))))))
        );
    }

    private Route quotas() {
        return path(PathMatchers.segment(), address -> concat(
                put(() -> body(b -> change(200, admin.setQuota(address, text(b, "quota"))))),
                delete(() -> change(200, admin.deleteQuota(address)))));
    }

    private Route restrictions() {
        return pathPrefix(PathMatchers.segment(), kindText -> {
            RestrictionKind kind = switch (kindText.toLowerCase(Locale.ROOT)) {
                case "send" -> RestrictionKind.SEND;
                case "receive" -> RestrictionKind.RECEIVE;
                default -> throw new AdminException("invalid-argument",
                        "Unknown or missing second parameter '" + kindText + "' - specify 'send' or 'receive'", 400);
            };
            return concat(
                    pathEndOrSingleSlash(() -> concat(
                            get(() -> json(200, stringArray(admin.listRestricted(kind)))),
                            post(() -> body(b -> change(201, admin.restrict(kind, text(b, "address"))))),
                            delete(() -> parameterOptional("address", a -> change(200, admin.unrestrict(kind, a.orElse(""))))))),
                    path(PathMatchers.segment(), address -> delete(() -> change(200, admin.unrestrict(kind, address)))));
        });
    }

    private Route health() {
        NodeStatus s = status.status();
        String self = s.selfStatus();
        boolean up = self.equals("Up") || self.equals("WeaklyUp");
        ObjectNode o = JSON.createObjectNode();
        o.put("status", !up ? "unavailable" : s.problems().isEmpty() ? "ok" : "degraded");
        o.put("node", s.selfAddress());
        o.put("memberStatus", self);
        o.put("uptimeSeconds", s.uptime().toSeconds());
        o.put("domains", s.directory().domains());
        o.put("accounts", s.directory().accounts());
        o.put("aliases", s.directory().aliases());
        s.problems().forEach(o.putArray("problems")::add);
        return json(up ? 200 : 503, o);
    }

    private Route authenticated(Supplier<Route> inner) {
        return optionalHeaderValueByName("Authorization", header -> {
            Optional<String> given = header.map(String::trim)
                    .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                    .map(h -> h.substring(7).trim());
            if (given.isEmpty()) {
                return respondWithHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "mailfleet")),
                        () -> error(401, "unauthorized", "missing bearer token: send 'Authorization: Bearer <token>'"
                                + " (the token is in <data-dir>/api-token or mailfleet.management.token)"));
            }
            if (!MessageDigest.isEqual(token, given.get().getBytes(StandardCharsets.UTF_8))) {
                return respondWithHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "mailfleet")),
                        () -> error(401, "unauthorized", "invalid bearer token"));
            }
            return inner.get();
        });
    }

    /** Parses the request body as a JSON object; invalid UTF-8 or a parse failure is a 400 naming the reason. */
    private Route body(Function<JsonNode, Route> inner) {
        return entity(Unmarshaller.entityToByteArray(), bytes -> {
            Optional<String> decoded = StrictUtf8.decode(bytes);
            if (decoded.isEmpty()) {
                return error(400, "invalid-utf8", "the request body is not valid UTF-8 (byte "
                        + StrictUtf8.firstInvalidByte(bytes) + "): send names as UTF-8");
            }
            String text = decoded.get();
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                return error(400, "invalid-json", "invalid JSON: " + e.getOriginalMessage()
                        + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() + " column "
                        + e.getLocation().getColumnNr() : ""));
            }
            if (node == null || !node.isObject()) {
                return error(400, "invalid-json", "the request body must be a JSON object");
            }
            return inner.apply(node);
        });
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw new AdminException("invalid-request", "field '" + field + "' is required", 400);
        }
        if (!v.isTextual()) {
            throw new AdminException("invalid-request", "field '" + field + "' must be a string", 400);
        }
        return v.asText();
    }

    private Route change(int okStatus, CompletionStage<ChangeResult> stage) {
        CompletionStage<HttpResponse> response = stage.handle((r, err) -> {
            if (err != null) {
                return errorResponse(adminFailure(err));
            }
            ObjectNode o = JSON.createObjectNode();
            o.put("address", r.address());
            o.put("changed", r.changed());
            ArrayNode w = o.putArray("warnings");
            r.warnings().forEach(w::add);
            return response(okStatus, o);
        });
        return completeWithFuture(response);
    }

    private static AdminException adminFailure(Throwable err) {
        Throwable c = err;
        while (c instanceof CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof AdminException a) {
            return a;
        }
        return new AdminException("internal-error", String.valueOf(c.getMessage()), 500);
    }

    private Route json(int status, JsonNode body) {
        return complete(response(status, body));
    }

    private Route error(int status, String code, String message) {
        return complete(errorResponse(new AdminException(code, message, status)));
    }

    private static HttpResponse errorResponse(AdminException e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("code", e.code());
        o.put("message", e.getMessage());
        return response(e.httpStatus(), o);
    }

    private static HttpResponse response(int status, JsonNode body) {
        try {
            return HttpResponse.create().withStatus(status)
                    .withEntity(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    private static JsonNode accountsJson(List<AccountInfo> accounts) {
        ArrayNode a = JSON.createArrayNode();
        for (AccountInfo i : accounts) {
            ObjectNode o = a.addObject();
            o.put("address", i.address());
            if (i.quota().isPresent()) {
                QuotaUsage q = i.quota().get();
                ObjectNode qn = o.putObject("quota");
                qn.put("usedBytes", q.usedBytes());
                qn.put("limitBytes", q.limitBytes());
                qn.put("percent", q.percent());
            } else {
                o.putNull("quota");
            }
            ArrayNode al = o.putArray("aliases");
            i.aliases().forEach(al::add);
        }
        return a;
    }

    private static JsonNode aliasesJson(List<AliasInfo> aliases) {
        ArrayNode a = JSON.createArrayNode();
        for (AliasInfo i : aliases) {
            ObjectNode o = a.addObject();
            o.put("alias", i.alias());
            ArrayNode t = o.putArray("targets");
            i.targets().forEach(t::add);
        }
        return a;
    }

    private JsonNode domainsJson() {
        ArrayNode a = JSON.createArrayNode();
        for (DomainInfo d : admin.domains()) {
            a.addObject().put("domain", d.domain()).put("accounts", d.accounts()).put("aliases", d.aliases());
        }
        return a;
    }

    private JsonNode clusterJson() {
        NodeStatus s = status.status();
        ObjectNode o = JSON.createObjectNode();
        o.put("self", s.selfAddress());
        if (s.leader().isPresent()) {
            o.put("leader", s.leader().get());
        } else {
            o.putNull("leader");
        }
        ArrayNode members = o.putArray("members");
        for (NodeStatus.Member m : s.members()) {
            ObjectNode mn = members.addObject();
            mn.put("address", m.address());
            mn.put("status", m.status());
            ArrayNode roles = mn.putArray("roles");
            m.roles().stream().sorted().forEach(roles::add);
        }
        return o;
    }

    private static JsonNode stringArray(List<String> values) {
        ArrayNode a = JSON.createArrayNode();
        values.forEach(a::add);
        return a;
    }

    private ExceptionHandler exceptionHandler() {
        return ExceptionHandler.newBuilder()
                .match(AdminException.class, e -> complete(errorResponse(e)))
                .matchAny(e -> complete(errorResponse(new AdminException("internal-error",
                        e.getClass().getSimpleName() + ": " + e.getMessage(), 500))))
                .build();
    }

    private RejectionHandler rejectionHandler() {
        return RejectionHandler.newBuilder()
                .handleAll(MethodRejection.class, rs -> error(405, "method-not-allowed", "method not allowed here; supported: "
                        + String.join(", ", rs.stream().map(r -> r.supported().name()).toList())))
                .handleNotFound(extractUnmatchedPath(p -> error(404, "not-found", "no such endpoint: " + p)))
                .handleAll(org.apache.pekko.http.javadsl.server.Rejection.class,
                        rs -> error(400, "bad-request", "request rejected: " + rs))
                .build();
    }
}
