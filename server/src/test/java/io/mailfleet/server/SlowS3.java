package io.mailfleet.server;

import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 server on loopback (s3proxy, in-memory backend) behind a {@link SlowGetProxy} that holds
 * every GET for {@code delayMillis}: an object store far away, for a node started with {@link #env()}.
 */
public final class SlowS3 implements AutoCloseable {

    private static final String ACCESS = "mailfleet-access";
    private static final String SECRET = "mailfleet-secret-key";

    private final BlobStoreContext context;
    private final S3Proxy s3;
    private final SlowGetProxy proxy;

    public SlowS3(long delayMillis) throws Exception {
        context = ContextBuilder.newBuilder("transient").credentials("unused", "unused").build(BlobStoreContext.class);
        s3 = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS, SECRET).build();
        s3.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!AbstractLifeCycle.STARTED.equals(s3.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        proxy = new SlowGetProxy(s3.getPort(), delayMillis);
    }

    /** The environment that makes a node keep its blobs here. */
    public Map<String, String> env() {
        return Map.of(
                "MAILFLEET_BLOBS", "s3",
                "MAILFLEET_S3_ENDPOINT", "http://127.0.0.1:" + proxy.port(),
                "MAILFLEET_S3_BUCKET", "mailfleet",
                "MAILFLEET_S3_ACCESS_KEY", ACCESS,
                "MAILFLEET_S3_SECRET_KEY", SECRET);
    }

    /** GET requests held so far. */
    public int delayedGets() {
        return proxy.delayedGets();
    }

    @Override
    public void close() throws Exception {
        proxy.close();
        s3.stop();
        context.close();
    }
}
