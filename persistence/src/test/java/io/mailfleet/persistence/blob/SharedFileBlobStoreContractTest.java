package io.mailfleet.persistence.blob;

import io.mailfleet.core.blob.BlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The blob store contract for the shared-file store (a directory every node of a cluster mounts). */
class SharedFileBlobStoreContractTest extends BlobStoreContract {

    @TempDir
    Path shared;

    private final List<FileBlobStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(FileBlobStore::close);
    }

    @Override
    BlobStore store() throws IOException {
        FileBlobStore s = FileBlobStore.shared(shared, 7);
        stores.add(s);
        return s;
    }

    @Override
    long leftovers() throws IOException {
        return LooseFileBlobStoreContractTest.countFiles(shared.resolve("tmp"));
    }

    @Override
    boolean keepsSmallBlobsInMemory() {
        return true;
    }
}
