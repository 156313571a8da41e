package io.mailfleet.persistence.blob;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * Microbenchmark, not a test: 5000 blobs of 2 KiB committed from 20 threads, each thread waiting
 * for its commit before the next (like SMTP sessions waiting to answer 250). Prints commits/s and
 * fsync counts for packed segments and, for comparison, for one file per blob.
 * Run: java -cp target/test-classes:target/classes:&lt;deps&gt; io.mailfleet.persistence.blob.PackedCommitBench [dir]
 */
public final class PackedCommitBench {

    private PackedCommitBench() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target/bench"));
        int blobs = 5000;
        int threads = 20;
        run("packed", Files.createTempDirectory(base, "packed"), FileBlobStore.DEFAULT_PACK_THRESHOLD, blobs, threads);
        run("files ", Files.createTempDirectory(base, "files"), -1, blobs, threads);
    }

    private static void run(String label, Path dir, long threshold, int blobs, int threads) throws Exception {
        byte[] content = new byte[2048];
        new Random(1).nextBytes(content);
        try (FileBlobStore store = new FileBlobStore(dir, FileBlobStore.DEFAULT_STALE_TEMP_AGE, Clock.systemUTC(),
                GroupCommitter.daemon("bench-committer"), ForkJoinPool.commonPool(), threshold,
                FileBlobStore.DEFAULT_SEGMENT_BYTES)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long start = System.nanoTime();
            List<Future<long[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int share = blobs / threads;
                results.add(pool.submit(() -> {
                    long[] latencies = new long[share];
                    for (int i = 0; i < share; i++) {
                        long t0 = System.nanoTime();
                        try (BlobWriter w = store.create()) {
                            w.write(content, 0, content.length);
                            BlobRef ref = w.commit().toCompletableFuture().get(1, TimeUnit.MINUTES);
                            if (ref.size() != content.length) {
                                throw new IllegalStateException("size " + ref.size());
                            }
                        }
                        latencies[i] = System.nanoTime() - t0;
                    }
                    return latencies;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<long[]> f : results) {
                for (long l : f.get()) {
                    all.add(l);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            all.sort(null);
            CommitStats s = store.commitStats();
            System.out.printf("%s: %d commits in %.2f s = %.0f commits/s; batches %d, file fsyncs %d, dir fsyncs %d;"
                            + " latency p50 %.1f ms p99 %.1f ms%n", label, s.commits(), seconds, s.commits() / seconds,
                    s.batches(), s.fileSyncs(), s.directorySyncs(), all.get(all.size() / 2) / 1e6,
                    all.get(all.size() * 99 / 100) / 1e6);
        }
    }
}
