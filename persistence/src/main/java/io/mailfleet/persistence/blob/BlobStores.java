package io.mailfleet.persistence.blob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Factories for the blob store implementations. */
public final class BlobStores {

    private BlobStores() {
    }

    /** A filesystem blob store keeping its files under {@code <dataDir>/blobs}. */
    public static FileBlobStore filesystem(Path dataDir) {
        try {
            return new FileBlobStore(dataDir.resolve("blobs"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the blob store under " + dataDir + ": " + e.getMessage(), e);
        }
    }
}
