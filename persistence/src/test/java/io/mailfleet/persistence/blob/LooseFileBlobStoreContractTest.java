package io.mailfleet.persistence.blob;

import io.mailfleet.core.blob.BlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The blob store contract for the file store writing every blob as its own file. */
class LooseFileBlobStoreContractTest extends BlobStoreContract {

    @TempDir
    Path dataDir;

    private final List<FileBlobStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(FileBlobStore::close);
    }

    @Override
    BlobStore store() throws IOException {
        FileBlobStore s = new FileBlobStore(dataDir.resolve("blobs"), FileBlobStore.DEFAULT_STALE_TEMP_AGE,
                Clock.systemUTC(), GroupCommitter.daemon("test-committer"), Runnable::run, -1,
                FileBlobStore.DEFAULT_SEGMENT_BYTES);
        stores.add(s);
        return s;
    }

    @Override
    long leftovers() throws IOException {
        return countFiles(dataDir.resolve("blobs").resolve("tmp"));
    }

    /** Regular files below {@code dir} (0 when it does not exist). */
    static long countFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
