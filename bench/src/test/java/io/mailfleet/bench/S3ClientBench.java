package io.mailfleet.bench;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.persistence.blob.S3BlobStore;
import io.mailfleet.persistence.blob.S3Settings;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark, run by hand (not a test): the project's own SigV4 S3 client ({@link S3BlobStore})
 * against the AWS SDK v2 S3 client on its Netty async HTTP client, both against s3proxy (in-memory)
 * on loopback, PUT then GET of 4 KiB and 1 MiB objects with the same number of requests in flight.
 * Prints requests/s and MiB/s per client, operation and size; see docs/benchmarks.md.
 *
 * <pre>mvn -B -q -o -pl bench -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/s3bench.cp -Dmdep.includeScope=test
 * java -cp "$(cat /tmp/s3bench.cp):bench/target/test-classes:bench/target/classes" \
 *      io.mailfleet.bench.S3ClientBench [rounds] [concurrency]</pre>
 */
public final class S3ClientBench {

    private static final String ACCESS = "bench-access";
    private static final String SECRET = "bench-secret-key";

    private S3ClientBench() {
    }

    /** One client under test: a blocking PUT and GET of whole objects. */
    private interface Client extends AutoCloseable {
        String put(byte[] bytes) throws Exception;

        byte[] get(String key, int size) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        BlobStoreContext context = ContextBuilder.newBuilder("transient").credentials("unused", "unused")
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS, SECRET).build();
        proxy.start();
        while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
            Thread.sleep(20);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        Path spool = Files.createTempDirectory("s3bench");
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        System.out.printf(Locale.ROOT, "java %s, %d cores, %d in flight, %d rounds (best shown)%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), concurrency, rounds);
        try (Client own = own(endpoint, spool); Client sdk = sdk(endpoint)) {
            for (int[] size : new int[][] {{4 * 1024, 2000}, {1024 * 1024, 150}}) {
                byte[] payload = new byte[size[0]];
                new Random(1).nextBytes(payload);
                for (String name : List.of("own", "sdk", "own", "sdk")) {
                    Client c = name.equals("own") ? own : sdk;
                    double bestPut = 0;
                    double bestGet = 0;
                    for (int r = 0; r < rounds; r++) {
                        List<String> keys = new ArrayList<>();
                        double put = run(pool, size[1], () -> {
                            String k = c.put(payload);
                            synchronized (keys) {
                                keys.add(k);
                            }
                        });
                        double get = run(pool, size[1], () -> {
                            String k;
                            synchronized (keys) {
                                k = keys.get(new Random().nextInt(keys.size()));
                            }
                            if (!Arrays.equals(payload, c.get(k, payload.length))) {
                                throw new IllegalStateException("read back other bytes");
                            }
                        });
                        bestPut = Math.max(bestPut, put);
                        bestGet = Math.max(bestGet, get);
                    }
                    double mib = size[0] / (1024.0 * 1024.0);
                    System.out.printf(Locale.ROOT, "%-4s %8s  PUT %8.0f req/s %7.1f MiB/s   GET %8.0f req/s %7.1f MiB/s%n",
                            name, size[0] >= 1024 * 1024 ? (size[0] >> 20) + " MiB" : (size[0] >> 10) + " KiB",
                            bestPut, bestPut * mib, bestGet, bestGet * mib);
                }
            }
        } finally {
            pool.shutdownNow();
            proxy.stop();
            context.close();
        }
    }

    @FunctionalInterface
    private interface Op {
        void run() throws Exception;
    }

    /** Runs {@code count} operations, {@code pool}'s size at a time; answers operations per second. */
    private static double run(ExecutorService pool, int count, Op op) throws Exception {
        long start = System.nanoTime();
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(pool.submit(() -> {
                op.run();
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get(10, TimeUnit.MINUTES);
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static Client own(URI endpoint, Path spool) throws Exception {
        S3BlobStore store = new S3BlobStore(new S3Settings(endpoint, "own", "us-east-1", ACCESS, SECRET, true), spool);
        List<BlobRef> refs = new ArrayList<>();
        return new Client() {
            @Override
            public String put(byte[] bytes) throws Exception {
                try (BlobWriter w = store.create()) {
                    w.write(bytes, 0, bytes.length);
                    BlobRef r = w.commit().toCompletableFuture().get();
                    synchronized (refs) {
                        refs.add(r);
                    }
                    return r.id() + " " + r.sha256();
                }
            }

            @Override
            public byte[] get(String key, int size) throws Exception {
                String[] k = key.split(" ");
                try (InputStream in = store.open(new BlobRef(k[0], size, k[1]))) {
                    return in.readAllBytes();
                }
            }

            @Override
            public void close() {
                store.close();
            }
        };
    }

    private static Client sdk(URI endpoint) {
        S3AsyncClient s3 = S3AsyncClient.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                // the same integrity as ours: the SHA-256 of the payload signed, no extra checksums
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(64))
                .build();
        s3.createBucket(CreateBucketRequest.builder().bucket("sdk").build()).join();
        Random ids = new Random(2);
        return new Client() {
            @Override
            public String put(byte[] bytes) {
                String key;
                synchronized (ids) {
                    key = Long.toHexString(ids.nextLong());
                }
                s3.putObject(PutObjectRequest.builder().bucket("sdk").key(key).build(), AsyncRequestBody.fromBytes(bytes))
                        .join();
                return key;
            }

            @Override
            public byte[] get(String key, int size) {
                return s3.getObject(GetObjectRequest.builder().bucket("sdk").key(key).build(),
                        AsyncResponseTransformer.toBytes()).join().asByteArray();
            }

            @Override
            public void close() {
                s3.close();
            }
        };
    }
}
