package io.mailfleet.persistence.blob;

import io.mailfleet.core.blob.BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The blob store contract for the S3 store against a real S3 server (s3proxy, in-memory backend). */
class S3BlobStoreContractTest extends BlobStoreContract {

    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3TestServer server;

    @TempDir
    Path spool;

    private final List<S3BlobStore> stores = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = S3TestServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @AfterEach
    void closeStores() {
        stores.forEach(S3BlobStore::close);
    }

    /** A store on a bucket of its own, so each test starts empty. */
    @Override
    BlobStore store() throws IOException {
        S3BlobStore s = new S3BlobStore(new S3Settings(server.endpoint(), "contract-" + BUCKETS.incrementAndGet(),
                "us-east-1", S3TestServer.ACCESS, S3TestServer.SECRET, true), spool);
        stores.add(s);
        return s;
    }

    @Override
    long leftovers() throws IOException {
        return LooseFileBlobStoreContractTest.countFiles(spool);
    }

    @Override
    boolean keepsSmallBlobsInMemory() {
        return true;
    }
}
