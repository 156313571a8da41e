package io.mailfleet.core.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A blob being written. Bytes are invisible to readers until {@link #commit()} has completed;
 * {@link #abort()} discards them. Not thread-safe: one writer belongs to one producer.
 */
public interface BlobWriter extends AutoCloseable {

    void write(ByteBuffer bytes) throws IOException;

    default void write(byte[] bytes, int offset, int length) throws IOException {
        write(ByteBuffer.wrap(bytes, offset, length));
    }

    /** Bytes written so far. */
    long size();

    /**
     * Makes the blob durable (fsync of file and directory, possibly shared with concurrent commits)
     * and visible. The stage completes only once the bytes are on stable storage.
     */
    CompletionStage<BlobRef> commit();

    /** Discards the bytes written so far; safe to call more than once and after a failed commit. */
    void abort();

    /**
     * After a successful {@link #commit()}: the blob's bytes from memory, when this writer kept them all
     * there, so a reader right after the commit (the end-of-data parse) need not read the store.
     * Empty when the writer spooled to a file, has not committed, or keeps nothing.
     */
    default Optional<InputStream> committedBytes() {
        return Optional.empty();
    }

    /** Aborts unless committed. */
    @Override
    void close();
}
