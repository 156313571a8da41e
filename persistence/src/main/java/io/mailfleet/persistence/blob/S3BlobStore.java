package io.mailfleet.persistence.blob;

import io.mailfleet.core.files.PrivateFiles;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.blob.StoredBlob;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blob store on any S3-compatible object store (AWS S3, MinIO, Ceph RGW, Garage, s3proxy), spoken
 * directly over HTTP with Signature V4. A blob is one object named by its id; a commit is one PUT
 * whose {@code x-amz-content-sha256} is the blob's real hash, so the server rejects bytes damaged on
 * the way, and the blob is durable when the server answers 200. Writers spool to memory up to
 * {@link #MEMORY_SPOOL_BYTES}, then to a local temp file, because the hash must be known before the
 * request is signed.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {

    /** Blobs up to this size are spooled in memory before the PUT. */
    public static final int MEMORY_SPOOL_BYTES = 1024 * 1024;

    private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]*)</Code>");
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);
    /** Objects per ListObjectsV2 page: the most S3 hands out at once. */
    static final int LIST_PAGE_SIZE = 1000;

    private final S3Settings settings;
    private final Path spool;
    private final Clock clock;
    private final HttpClient http;
    private final ExecutorService uploads;
    private final int listPageSize;

    /**
     * Connects to the bucket, creating it when it does not exist.
     *
     * @param spool local directory for blobs larger than {@link #MEMORY_SPOOL_BYTES} while they are written
     */
    public S3BlobStore(S3Settings settings, Path spool) throws IOException {
        this(settings, spool, Clock.systemUTC());
    }

    S3BlobStore(S3Settings settings, Path spool, Clock clock) throws IOException {
        this(settings, spool, clock, LIST_PAGE_SIZE);
    }

    /** @param listPageSize objects asked for per listing request (1..1000) */
    S3BlobStore(S3Settings settings, Path spool, Clock clock, int listPageSize) throws IOException {
        if (listPageSize < 1 || listPageSize > LIST_PAGE_SIZE) {
            throw new IllegalArgumentException("S3 listing page size " + listPageSize + " must be 1.." + LIST_PAGE_SIZE);
        }
        this.listPageSize = listPageSize;
        this.settings = settings;
        this.spool = spool;
        this.clock = clock;
        PrivateFiles.createDirectories(spool);
        this.uploads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mailfleet-s3-upload");
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1).executor(uploads).build();
        ensureBucket();
    }

    public S3Settings settings() {
        return settings;
    }

    @Override
    public BlobWriter create() {
        return new S3BlobWriter(BlobIds.next(clock.millis()), spool, this);
    }

    @Override
    public InputStream open(BlobRef ref) throws IOException {
        checkId(ref);
        return new VerifyingInputStream(get(ref.id(), null), ref);
    }

    @Override
    public InputStream openRange(BlobRef ref, long offset, long length) throws IOException {
        checkId(ref);
        if (offset < 0 || length < 0 || offset > ref.size() - length) {
            throw new IllegalArgumentException("range offset " + offset + " length " + length
                    + " is outside blob " + ref.id() + " of size " + ref.size());
        }
        if (length == 0) {
            return new ByteArrayInputStream(new byte[0]);
        }
        return new RangeInputStream(get(ref.id(), "bytes=" + offset + "-" + (offset + length - 1)), ref.id(), length);
    }

    @Override
    public boolean exists(BlobRef ref) {
        checkId(ref);
        try {
            HttpResponse<byte[]> r = send("HEAD", ref.id(), Map.of(), HttpRequest.BodyPublishers.noBody(),
                    SigV4.EMPTY_SHA256, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 404) {
                return false;
            }
            check(r, "HEAD", ref.id(), null);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(BlobRef ref) throws IOException {
        checkId(ref);
        HttpResponse<byte[]> r = send("DELETE", ref.id(), Map.of(), HttpRequest.BodyPublishers.noBody(),
                SigV4.EMPTY_SHA256, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 404) {
            check(r, "DELETE", ref.id(), r.body());
        }
    }

    /**
     * Lists the bucket with ListObjectsV2, page by page; keys that are not blob ids are skipped and
     * refs carry no SHA-256 (a delete needs only the id). The creation time is the later of the id's
     * time and the object's LastModified plus {@link FileTimes#SLACK} (servers may keep whole
     * seconds, and their clock is not ours).
     */
    @Override
    public void list(Instant before, Consumer<StoredBlob> sink) throws IOException {
        if (before == null || sink == null) {
            throw new IllegalArgumentException("listing S3 bucket " + settings.bucket() + " needs a time and a sink");
        }
        String token = null;
        do {
            String query = "list-type=2&max-keys=" + listPageSize
                    + (token == null ? "" : "&continuation-token=" + SigV4.uriEncode(token));
            URI uri = URI.create(settings.objectUri("") + "?" + query);
            HttpResponse<byte[]> r = send("GET", uri, Map.of(), HttpRequest.BodyPublishers.noBody(),
                    SigV4.EMPTY_SHA256, HttpResponse.BodyHandlers.ofByteArray());
            check(r, "listing", "", r.body());
            S3ListPage page = S3ListPage.parse(r.body(), "bucket " + settings.bucket() + " at " + settings.endpoint());
            for (S3ListPage.Entry e : page.entries()) {
                if (!BlobIds.isValid(e.key())) {
                    continue;
                }
                Instant created = Instant.ofEpochMilli(BlobIds.epochMillis(e.key()));
                Instant stamped = e.lastModified().plus(FileTimes.SLACK);
                if (stamped.isAfter(created)) {
                    created = stamped;
                }
                if (created.isBefore(before)) {
                    sink.accept(new StoredBlob(new BlobRef(e.key(), e.size(), null), created));
                }
            }
            if (page.truncated() && page.nextToken().equals(token)) {
                throw new IOException("S3 listing of bucket " + settings.bucket() + " at " + settings.endpoint()
                        + " hands out the same continuation token again");
            }
            token = page.truncated() ? page.nextToken() : null;
        } while (token != null);
    }

    @Override
    public void close() {
        uploads.shutdown();
    }

    /** PUTs a finished blob; the stage completes once the object store has acknowledged it. */
    CompletableFuture<Void> put(String id, long size, String sha256, byte[] memory, Path file) {
        return CompletableFuture.runAsync(() -> {
            try {
                HttpRequest.BodyPublisher body = memory != null
                        ? HttpRequest.BodyPublishers.ofByteArray(memory, 0, (int) size)
                        : HttpRequest.BodyPublishers.ofFile(file);
                HttpResponse<byte[]> r = send("PUT", id, Map.of(), body, sha256, HttpResponse.BodyHandlers.ofByteArray());
                check(r, "PUT", id, r.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, uploads);
    }

    private InputStream get(String id, String range) throws IOException {
        Map<String, String> extra = range == null ? Map.of() : Map.of("range", range);
        HttpResponse<InputStream> r = send("GET", id, extra, HttpRequest.BodyPublishers.noBody(), SigV4.EMPTY_SHA256,
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() == 200 || r.statusCode() == 206) {
            return r.body();
        }
        byte[] body;
        try (InputStream in = r.body()) {
            body = in.readNBytes(4096);
        }
        if (r.statusCode() == 404) {
            throw new NoSuchFileException(settings.objectUri(id).toString(), null, "blob " + id + " does not exist");
        }
        check(r, "GET", id, body);
        throw new IOException("unexpected S3 status " + r.statusCode() + " for GET " + id);
    }

    private void ensureBucket() throws IOException {
        HttpResponse<byte[]> head = send("HEAD", "", Map.of(), HttpRequest.BodyPublishers.noBody(), SigV4.EMPTY_SHA256,
                HttpResponse.BodyHandlers.ofByteArray());
        if (head.statusCode() == 200) {
            return;
        }
        if (head.statusCode() != 404) {
            check(head, "HEAD bucket", settings.bucket(), null);
        }
        byte[] body = "us-east-1".equals(settings.region()) ? new byte[0]
                : ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>"
                + settings.region() + "</LocationConstraint></CreateBucketConfiguration>").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> put = send("PUT", "", Map.of(), HttpRequest.BodyPublishers.ofByteArray(body),
                SigV4.hex(SigV4.sha256(body)), HttpResponse.BodyHandlers.ofByteArray());
        // another node may have created it a moment ago
        if (put.statusCode() != 409) {
            check(put, "create bucket", settings.bucket(), put.body());
        }
    }

    private <T> HttpResponse<T> send(String method, String key, Map<String, String> extra,
                                     HttpRequest.BodyPublisher body, String payloadSha256,
                                     HttpResponse.BodyHandler<T> handler) throws IOException {
        return send(method, settings.objectUri(key), extra, body, payloadSha256, handler);
    }

    private <T> HttpResponse<T> send(String method, URI uri, Map<String, String> extra,
                                     HttpRequest.BodyPublisher body, String payloadSha256,
                                     HttpResponse.BodyHandler<T> handler) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).method(method, body);
        extra.forEach(b::header);
        SigV4.sign(method, uri, extra, payloadSha256, settings.region(), settings.accessKey(), settings.secretKey(),
                ZonedDateTime.now(clock)).forEach(b::header);
        try {
            return http.send(b.build(), handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during S3 " + method + " " + uri, e);
        } catch (IOException e) {
            throw new IOException("S3 " + method + " " + uri + " failed: " + e.getMessage(), e);
        }
    }

    private void check(HttpResponse<?> r, String what, String id, byte[] body) throws IOException {
        int status = r.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String code = "";
        if (body != null) {
            Matcher m = ERROR_CODE.matcher(new String(body, StandardCharsets.UTF_8));
            code = m.find() ? " " + m.group(1) : "";
        }
        throw new IOException("S3 " + what + " of " + (id.isEmpty() ? "bucket " + settings.bucket() : id) + " at "
                + settings.endpoint() + " answered " + status + code);
    }

    private static void checkId(BlobRef ref) {
        if (ref == null) {
            throw new IllegalArgumentException("blob ref is null");
        }
        if (!BlobIds.isValid(ref.id())) {
            throw new IllegalArgumentException("'" + ref.id() + "' is not a blob id of an S3 store (expected "
                    + BlobIds.LENGTH + " characters of 0-9a-v)");
        }
    }
}
