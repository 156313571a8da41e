package io.mailfleet.persistence.blob;

import io.mailfleet.core.blob.BlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The blob store contract for the file store as a node starts it: small blobs packed into segments. */
class PackedFileBlobStoreContractTest extends BlobStoreContract {

    @TempDir
    Path dataDir;

    private final List<FileBlobStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(FileBlobStore::close);
    }

    @Override
    BlobStore store() {
        FileBlobStore s = BlobStores.filesystem(dataDir);
        stores.add(s);
        return s;
    }

    @Override
    long leftovers() throws IOException {
        return LooseFileBlobStoreContractTest.countFiles(dataDir.resolve("blobs").resolve("tmp"));
    }

    @Override
    boolean keepsSmallBlobsInMemory() {
        return true;
    }
}
