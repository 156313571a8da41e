package io.mailfleet.core.blob;

import java.io.IOException;
import java.nio.ByteBuffer;
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

    /** Aborts unless committed. */
    @Override
    void close();
}
