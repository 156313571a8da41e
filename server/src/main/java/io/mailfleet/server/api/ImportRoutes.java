package io.mailfleet.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import io.mailfleet.server.exporter.AccountExports;
import io.mailfleet.server.exporter.ExportResult;
import io.mailfleet.server.importer.AccountImports;
import io.mailfleet.server.importer.ImapSource;
import io.mailfleet.server.importer.ImportResult;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import static io.mailfleet.server.api.JsonResponses.error;
import static io.mailfleet.server.api.JsonResponses.json;

/**
 * {@code POST /api/v1/import/maildir?path=&account=[&folder-prefix=]},
 * {@code POST /api/v1/import/maildir?path=&dms-layout=true} (docker-mailserver's whole mail root) and
 * {@code POST /api/v1/import/mbox?path=&account=&folder=}: imports mail from a path on this node;
 * {@code POST /api/v1/import/imap} with a JSON body ({@code account host port security user password
 * trustAnyCertificate}): copies a live IMAP account (see {@link AccountImports}). Answered with the
 * summary once done; 400 for a bad request or a refused remote login, 409 while an import into the
 * same account runs.
 */
public final class ImportRoutes extends AllDirectives {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccountImports imports;
    private final AccountExports exports;
    private final Executor blocking;

    public ImportRoutes(AccountImports imports, AccountExports exports, Executor blocking) {
        this.imports = imports;
        this.exports = exports;
        this.blocking = blocking;
    }

    /**
     * The routes under {@code /api/v1/export}: {@code POST maildir?account=&path=} and
     * {@code POST mbox?account=&path=} write the account's mail to a new or empty directory on this node.
     */
    public Route exportRoutes() {
        return concat(
                path("maildir", () -> post(() -> withRequestTimeout(Duration.ofHours(12), () ->
                        parameterOptional("path", p -> parameterOptional("account", a ->
                                startExport(p, a, path -> exports.maildir(a.get(), path))))))),
                path("mbox", () -> post(() -> withRequestTimeout(Duration.ofHours(12), () ->
                        parameterOptional("path", p -> parameterOptional("account", a ->
                                startExport(p, a, path -> exports.mbox(a.get(), path))))))));
    }

    /** The JSON answer of a finished export. */
    private static ObjectNode toJson(ExportResult r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("account", r.account());
        o.put("path", r.target());
        o.put("folders", r.folders());
        o.put("messages", r.messages());
        o.put("bytes", r.bytes());
        ArrayNode skipped = o.putArray("skipped");
        r.skipped().forEach(s -> skipped.addObject().put("what", s.what()).put("reason", s.reason()));
        o.put("millis", r.took().toMillis());
        return o;
    }

    private static HttpResponse exportFailure(Throwable err) {
        return failure(err, "export", "; the directory holds a partial export: remove it and run the export again");
    }

    /** The routes under {@code /api/v1/import}. */
    public Route routes() {
        return concat(
                path("maildir", () -> post(() -> withRequestTimeout(Duration.ofHours(12), () ->
                        parameterOptional("path", p -> parameterOptional("dms-layout", layout ->
                                layout.filter(v -> v.equalsIgnoreCase("true")).isPresent() ? dmsLayout(p)
                                : parameterOptional("account", a ->
                                parameterOptional("folder-prefix", prefix -> start(p, a, path ->
                                        imports.maildir(a.get(), path, prefix.orElse("")))))))))),
                path("mbox", () -> post(() -> withRequestTimeout(Duration.ofHours(12), () ->
                        parameterOptional("path", p -> parameterOptional("account", a ->
                                parameterOptional("folder", folder -> start(p, a, path ->
                                        imports.mbox(a.get(), path, folder.orElse(null))))))))),
                // the remote password travels in the body, never in a URL that proxies and logs keep
                path("imap", () -> post(() -> withRequestTimeout(Duration.ofHours(12), () ->
                        entity(Unmarshaller.entityToString(), this::imap)))));
    }

    private Route imap(String body) {
        JsonNode r;
        ImapSource source;
        String account;
        try {
            r = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
            account = r.path("account").asText("");
            if (account.isBlank()) {
                throw new IllegalArgumentException("'account' (the local account to import into) is required");
            }
            ImapSource.Security security = ImapSource.Security.parse(r.path("security").asText("ssl"));
            source = new ImapSource(r.path("host").asText(""), r.path("port").asInt(security.defaultPort()), security,
                    r.path("user").asText(""), r.hasNonNull("password") ? r.get("password").asText() : null,
                    r.path("trustAnyCertificate").asBoolean(false));
        } catch (IllegalArgumentException e) {
            return complete(error(400, "invalid-request", e.getMessage()));
        } catch (java.io.IOException e) {
            return complete(error(400, "invalid-request", "the body is not JSON: " + e.getMessage()));
        }
        String target = account;
        return completeWithFuture(onBlocking(() -> imports.imap(target, source))
                .thenApply(res -> json(200, toJson(res))).exceptionally(ImportRoutes::failure));
    }

    private Route dmsLayout(Optional<String> path) {
        if (path.filter(p -> !p.isBlank()).isEmpty()) {
            return complete(error(400, "invalid-request", "parameter 'path' (docker-mailserver's mail root) is required"));
        }
        return onValidPath(path.get(), p -> completeWithFuture(onBlocking(() -> imports.dmsLayout(p)).thenApply(r -> {
            ObjectNode o = JSON.createObjectNode();
            ArrayNode accounts = o.putArray("accounts");
            r.accounts().forEach(a -> accounts.add(toJson(a)));
            r.notOnNode().forEach(o.putArray("notOnNode")::add);
            ArrayNode failed = o.putArray("failed");
            r.failed().forEach(f -> failed.addObject().put("origin", f.origin()).put("reason", f.reason()));
            r.withoutMail().forEach(o.putArray("withoutMail")::add);
            return json(200, o);
        }).exceptionally(ImportRoutes::failure)));
    }

    /** An import or export of one account from or into a directory or file. */
    private interface Job<R> {
        R on(Path path) throws Exception;
    }

    private Route start(Optional<String> path, Optional<String> account, Job<ImportResult> run) {
        return onPath(path, account, run, ImportRoutes::toJson, ImportRoutes::failure);
    }

    private Route startExport(Optional<String> path, Optional<String> account, Job<ExportResult> run) {
        return onPath(path, account, run, ImportRoutes::toJson, ImportRoutes::exportFailure);
    }

    /** Checks the parameters, runs {@code run} on the blocking executor and answers its result or failure. */
    private <R> Route onPath(Optional<String> path, Optional<String> account, Job<R> run,
                             java.util.function.Function<R, ObjectNode> body,
                             java.util.function.Function<Throwable, HttpResponse> failed) {
        if (path.filter(p -> !p.isBlank()).isEmpty() || account.filter(a -> !a.isBlank()).isEmpty()) {
            return complete(error(400, "invalid-request", "parameters 'path' (absolute) and 'account' are required"));
        }
        return onValidPath(path.get(), p -> completeWithFuture(onBlocking(() -> run.on(p))
                .thenApply(r -> json(200, body.apply(r))).exceptionally(failed::apply)));
    }

    /** {@code route} of {@code path} (stripped), or 400 when it is no valid path. */
    private Route onValidPath(String path, java.util.function.Function<Path, Route> route) {
        Path p;
        try {
            p = Path.of(path.strip());
        } catch (InvalidPathException e) {
            return complete(error(400, "invalid-request", "'" + path + "' is not a valid path: " + e.getMessage()));
        }
        return route.apply(p);
    }

    /** A blocking piece of work. */
    private interface Blocking<R> {
        R run() throws Exception;
    }

    /** Runs {@code work} on the blocking executor. */
    private <R> CompletableFuture<R> onBlocking(Blocking<R> work) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.run();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, blocking);
    }

    static ObjectNode toJson(ImportResult r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("account", r.account());
        o.put("imported", r.imported());
        o.put("bytes", r.bytes());
        o.put("alreadyPresent", r.alreadyPresent());
        ArrayNode skipped = o.putArray("skipped");
        for (ImportResult.Skip s : r.skipped()) {
            skipped.addObject().put("origin", s.origin()).put("reason", s.reason());
        }
        r.foldersCreated().forEach(o.putArray("foldersCreated")::add);
        o.put("uidsKept", r.uidsKept());
        r.subscribed().forEach(o.putArray("subscribed")::add);
        r.sieveScripts().forEach(o.putArray("sieveScripts")::add);
        if (r.sieveActive() != null) {
            o.put("sieveActive", r.sieveActive());
        }
        ArrayNode notes = o.putArray("notes");
        for (ImportResult.Skip n : r.notes()) {
            notes.addObject().put("origin", n.origin()).put("note", n.reason());
        }
        ArrayNode condstore = o.putArray("condstore");
        for (ImportResult.Skip c : r.condstore()) {
            condstore.addObject().put("folder", c.origin()).put("state", c.reason());
        }
        o.put("millis", r.took().toMillis());
        return o;
    }

    private static HttpResponse failure(Throwable err) {
        return failure(err, "import", "; what was imported so far stays, run the import again to continue");
    }

    /** A refused or failed {@code job} ({@code import}, {@code export}): 400, 409 when one runs already, else 500. */
    private static HttpResponse failure(Throwable err, String job, String advice) {
        Throwable c = JsonResponses.cause(err);
        if (c instanceof IllegalArgumentException) {
            return error(400, "invalid-request", c.getMessage());
        }
        if (c instanceof IllegalStateException && c.getMessage() != null && c.getMessage().contains("already running")) {
            return error(409, "conflict", c.getMessage());
        }
        return error(500, job + "-failed", job + " stopped: " + c.getMessage() + advice);
    }
}
