package io.mailfleet.persistence.blob;

import io.mailfleet.core.blob.BlobStore;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The blob store contract for the S3 store against a real S3 server (s3proxy, in-memory backend). */
class S3BlobStoreContractTest extends BlobStoreContract {

    private static final String ACCESS = "mailfleet-access";
    private static final String SECRET = "mailfleet-secret-key";
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3Proxy proxy;
    private static BlobStoreContext context;
    private static URI endpoint;

    @TempDir
    Path spool;

    private final List<S3BlobStore> stores = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        context = ContextBuilder.newBuilder("transient").credentials("unused", "unused")
                .build(BlobStoreContext.class);
        proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS, SECRET).build();
        proxy.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!AbstractLifeCycle.STARTED.equals(proxy.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    @AfterAll
    static void stopServer() throws Exception {
        proxy.stop();
        context.close();
    }

    @AfterEach
    void closeStores() {
        stores.forEach(S3BlobStore::close);
    }

    /** A store on a bucket of its own, so each test starts empty. */
    @Override
    BlobStore store() throws IOException {
        S3BlobStore s = new S3BlobStore(new S3Settings(endpoint, "contract-" + BUCKETS.incrementAndGet(), "us-east-1",
                ACCESS, SECRET, true), spool);
        stores.add(s);
        return s;
    }

    @Override
    long leftovers() throws IOException {
        return LooseFileBlobStoreContractTest.countFiles(spool);
    }
}
