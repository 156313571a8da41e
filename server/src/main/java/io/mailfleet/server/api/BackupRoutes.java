package io.mailfleet.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailfleet.cluster.blobgc.BlobCollector;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.persistence.backup.OnlineBackup;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import static io.mailfleet.server.api.JsonResponses.error;
import static io.mailfleet.server.api.JsonResponses.json;

/**
 * {@code POST /api/v1/backup?dir=/absolute/path}: a stop-free backup of this node's data directory
 * into a new directory (see {@link OnlineBackup}), answered with what was copied once it is done;
 * 400 for a bad directory, 409 while a blob collection runs.
 */
public final class BackupRoutes extends AllDirectives {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OnlineBackup backup;
    private final BlobStore blobs;
    private final BlobCollector collector;
    private final Executor blocking;

    public BackupRoutes(OnlineBackup backup, BlobStore blobs, BlobCollector collector, Executor blocking) {
        this.backup = backup;
        this.blobs = blobs;
        this.collector = collector;
        this.blocking = blocking;
    }

    /** The route of {@code /api/v1/backup}. */
    public Route routes() {
        return pathEndOrSingleSlash(() -> post(() -> withRequestTimeout(Duration.ofMinutes(30),
                () -> parameterOptional("dir", dir -> dir.filter(d -> !d.isBlank())
                        .map(this::run)
                        .orElseGet(() -> complete(error(400, "invalid-request",
                                "parameter 'dir' (the absolute path of a new, empty directory) is required")))))));
    }

    private Route run(String dir) {
        Path target;
        try {
            target = Path.of(dir.strip());
        } catch (InvalidPathException e) {
            return complete(error(400, "invalid-request", "'" + dir + "' is not a valid path: " + e.getMessage()));
        }
        return completeWithFuture(CompletableFuture.supplyAsync(() -> {
            try {
                return collector.exclusive(() -> backup.run(target, blobs));
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, blocking).thenApply(r -> {
            ObjectNode o = JSON.createObjectNode();
            o.put("dir", r.target().toString());
            o.put("journal", r.journal());
            o.put("journalBytes", r.journalBytes());
            o.put("blobFiles", r.blobFiles());
            o.put("blobBytes", r.blobBytes());
            o.put("otherFiles", r.otherFiles());
            r.notes().forEach(o.putArray("notes")::add);
            o.put("millis", r.took().toMillis());
            return json(200, o);
        }).exceptionally(BackupRoutes::failure));
    }

    private static HttpResponse failure(Throwable err) {
        Throwable c = JsonResponses.cause(err);
        if (c instanceof IllegalArgumentException) {
            return error(400, "invalid-request", c.getMessage());
        }
        if (c instanceof IllegalStateException) {
            return error(409, "conflict", c.getMessage());
        }
        return error(500, "backup-failed", "backup failed: " + c.getMessage());
    }
}
