package io.mailfleet.core.blob;

import java.io.IOException;
import java.io.InputStream;

/** Durable storage for message bytes; implemented in the persistence module. */
public interface BlobStore {

    /** Starts a new blob. */
    BlobWriter create() throws IOException;

    /**
     * Opens a blob for reading. The stream throws {@link BlobCorruptedException} at its end when the
     * content does not match {@link BlobRef#sha256()} or the size differs.
     */
    InputStream open(BlobRef ref) throws IOException;

    /** Opens a range of a blob without hash verification (used for partial fetches). */
    InputStream openRange(BlobRef ref, long offset, long length) throws IOException;

    boolean exists(BlobRef ref);

    /** Deletes a blob no longer referenced, reclaiming its space; no error if it is already gone. */
    void delete(BlobRef ref) throws IOException;

    /**
     * Calls sink for every committed blob not deleted whose creation time is before `before`, in no
     * particular order; for garbage collection, may take a while on a large store. The ref handed over
     * must be accepted by delete(ref). `created` may be later than the real creation (never earlier):
     * a listing that only knows a coarse time must round up, so a young blob is never taken for an old one.
     */
    void list(java.time.Instant before, java.util.function.Consumer<StoredBlob> sink) throws IOException;
}
