package io.mailfleet.protocols.smtp;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.protocols.netty.BlockingReads;
import io.mailfleet.protocols.smtp.check.DropFields;
import io.mailfleet.protocols.smtp.check.HeaderFieldFilter;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Rewrites a stored message that is not queued yet. Header fields an end-of-data check adds
 * (Authentication-Results, X-Spam-*) are known only after the whole message is stored, and a blob is
 * written once front to back, so the annotated message is a new blob: the fields, then the old bytes.
 */
final class StoredMessages {

    private static final int CHUNK = 64 * 1024;

    private StoredMessages() {
    }

    /**
     * A new blob holding {@code fields} (complete header fields, each ending in CRLF) followed by the
     * message at {@code ref}. Runs on the blocking-read threads, never on an event loop. The old blob
     * is left to the store's garbage collection, as every unqueued blob is.
     */
    static CompletionStage<BlobRef> prepend(BlobStore blobs, BlobRef ref, String fields) {
        return BlockingReads.submit(() -> {
            BlobWriter w = blobs.create();
            try (InputStream in = blobs.open(ref)) {
                write(w, ByteBuffer.wrap(fields.getBytes(StandardCharsets.UTF_8)));
                byte[] buf = new byte[CHUNK];
                int n;
                while ((n = in.read(buf)) > 0) {
                    write(w, ByteBuffer.wrap(buf, 0, n));
                }
            } catch (Exception e) {
                w.abort();
                throw e;
            }
            return w.commit();
        }).thenCompose(commit -> commit);
    }

    /** A new blob and its length. */
    record Written(BlobRef ref, long size) {
    }

    /**
     * As {@link #prepend}, without the fields of {@code drop} in the message's own header section (never
     * among {@code fields}): read and written in chunks, only the header section passing through a
     * {@link HeaderFieldFilter}. A message without such a field is copied unchanged.
     */
    static CompletionStage<Written> prependDropping(BlobStore blobs, BlobRef ref, String fields, DropFields drop) {
        return BlockingReads.submit(() -> {
            BlobWriter w = blobs.create();
            try (InputStream in = blobs.open(ref)) {
                write(w, ByteBuffer.wrap(fields.getBytes(StandardCharsets.UTF_8)));
                HeaderFieldFilter filter = new HeaderFieldFilter(drop);
                ByteArrayOutputStream kept = new ByteArrayOutputStream(CHUNK);
                byte[] buf = new byte[CHUNK];
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (filter.headerDone()) {
                        write(w, ByteBuffer.wrap(buf, 0, n));
                        continue;
                    }
                    kept.reset();
                    filter.filter(buf, 0, n, kept);
                    write(w, ByteBuffer.wrap(kept.toByteArray()));
                }
                kept.reset();
                filter.finish(kept);
                write(w, ByteBuffer.wrap(kept.toByteArray()));
            } catch (Exception e) {
                w.abort();
                throw e;
            }
            long size = w.size();
            return w.commit().thenApply(r -> new Written(r, size));
        }).thenCompose(commit -> commit);
    }

    private static void write(BlobWriter w, ByteBuffer b) throws java.io.IOException {
        while (b.hasRemaining()) {
            w.write(b);
        }
    }
}
