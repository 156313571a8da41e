package io.mailfleet.persistence.blob;

import io.mailfleet.core.blob.BlobCorruptedException;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileBlobStoreTest {

    @TempDir
    Path dataDir;

    private final List<FileBlobStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(FileBlobStore::close);
    }

    private FileBlobStore store() {
        FileBlobStore s = BlobStores.filesystem(dataDir);
        stores.add(s);
        return s;
    }

    /** A store that writes every blob as its own file, the path large blobs take. */
    private FileBlobStore fileStore() throws IOException {
        return store(-1, FileBlobStore.DEFAULT_SEGMENT_BYTES, GroupCommitter.daemon("test-committer"));
    }

    private FileBlobStore store(long packThreshold, long segmentBytes, ThreadFactory committer) throws IOException {
        FileBlobStore s = new FileBlobStore(dataDir.resolve("blobs"), FileBlobStore.DEFAULT_STALE_TEMP_AGE,
                Clock.systemUTC(), committer, Runnable::run, packThreshold, segmentBytes);
        stores.add(s);
        return s;
    }

    /** Holds the committer thread back until released, so that every commit lands in one batch. */
    private static ThreadFactory gated(CountDownLatch release) {
        return r -> {
            Thread t = new Thread(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                r.run();
            }, "gated-committer");
            t.setDaemon(true);
            return t;
        };
    }

    private static BlobRef put(FileBlobStore store, byte[] content) throws Exception {
        try (BlobWriter w = store.create()) {
            w.write(content, 0, content.length);
            return w.commit().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void committedBlobReadsBackWithItsHashAndSize() throws Exception {
        FileBlobStore store = fileStore();
        byte[] content = "Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        BlobRef ref = put(store, content);

        assertEquals(content.length, ref.size());
        assertEquals(sha256(content), ref.sha256());
        assertTrue(store.exists(ref));
        assertArrayEquals(content, readAll(store.open(ref)));
        Path file = store.pathOf(ref.id());
        assertTrue(file.startsWith(dataDir.resolve("blobs")), file.toString());
        assertEquals(content.length, Files.size(file));
    }

    @Test
    void corruptedContentIsDetectedAtEndOfStream() throws Exception {
        FileBlobStore store = fileStore();
        byte[] content = new byte[10_000];
        new Random(1).nextBytes(content);
        BlobRef ref = put(store, content);
        Path file = store.pathOf(ref.id());
        byte[] stored = Files.readAllBytes(file);
        stored[5000] ^= 0x01;
        Files.write(file, stored);

        BlobCorruptedException e = assertThrows(BlobCorruptedException.class, () -> readAll(store.open(ref)));
        assertTrue(e.getMessage().contains(ref.id()), e.getMessage());
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void truncatedOrGrownFileIsDetected() throws Exception {
        FileBlobStore store = fileStore();
        byte[] content = "0123456789".repeat(100).getBytes(StandardCharsets.US_ASCII);
        BlobRef ref = put(store, content);
        Path file = store.pathOf(ref.id());

        Files.write(file, java.util.Arrays.copyOf(content, 500));
        BlobCorruptedException shorter = assertThrows(BlobCorruptedException.class, () -> readAll(store.open(ref)));
        assertTrue(shorter.getMessage().contains(ref.id()) && shorter.getMessage().contains("500 bytes stored"),
                shorter.getMessage());
        assertThrows(BlobCorruptedException.class, () -> readAll(store.openRange(ref, 400, 200)));

        Files.write(file, java.util.Arrays.copyOf(content, 1001));
        BlobCorruptedException longer = assertThrows(BlobCorruptedException.class, () -> readAll(store.open(ref)));
        assertTrue(longer.getMessage().contains(ref.id()), longer.getMessage());
    }

    @Test
    void uncommittedAndAbortedBytesAreNeverVisible() throws Exception {
        FileBlobStore store = fileStore();
        FileBlobWriter pending = (FileBlobWriter) store.create();
        pending.write("half a message".getBytes(StandardCharsets.US_ASCII), 0, 14);
        BlobRef guess = new BlobRef(pending.id(), 14, "0".repeat(64));
        assertFalse(store.exists(guess));
        assertThrows(NoSuchFileException.class, () -> store.open(guess));
        assertEquals(1, countFiles(store.tempDirectory()));

        pending.abort();
        pending.abort();
        assertEquals(0, countFiles(store.tempDirectory()));
        assertFalse(store.exists(guess));
        assertThrows(IllegalStateException.class, () -> pending.write(new byte[1], 0, 1));
        ExecutionException afterAbort = assertThrows(ExecutionException.class,
                () -> pending.commit().toCompletableFuture().get());
        assertInstanceOf(IllegalStateException.class, afterAbort.getCause());

        BlobWriter closedUncommitted = store.create();
        closedUncommitted.write(new byte[100], 0, 100);
        closedUncommitted.close();
        assertEquals(0, countFiles(store.tempDirectory()));
        assertEquals(0, store.usedBytes());
    }

    @Test
    void crashedTempFilesAreNeverReturnedAndStaleOnesAreSweptOnStart() throws Exception {
        FileBlobStore first = fileStore();
        Path tmp = first.tempDirectory();
        FileBlobWriter crashedOld = (FileBlobWriter) first.create();
        crashedOld.write(new byte[] {1, 2, 3}, 0, 3);
        FileBlobWriter crashedRecent = (FileBlobWriter) first.create();
        crashedRecent.write(new byte[] {4, 5}, 0, 2);
        // simulate a crash: the writers are never committed nor aborted
        Path oldFile = tmp.resolve(crashedOld.id() + ".tmp");
        Path recentFile = tmp.resolve(crashedRecent.id() + ".tmp");
        Files.setLastModifiedTime(oldFile, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        BlobRef oldRef = new BlobRef(crashedOld.id(), 3, "0".repeat(64));

        FileBlobStore restarted = fileStore();
        assertFalse(Files.exists(oldFile), "stale temp file must be removed on start");
        assertTrue(Files.exists(recentFile), "a recent temp file may belong to a live writer");
        assertFalse(restarted.exists(oldRef));
        assertFalse(restarted.exists(new BlobRef(crashedRecent.id(), 2, "0".repeat(64))));
        assertEquals(0, restarted.usedBytes());
    }

    @Test
    void deleteReclaimsSpaceAndIsIdempotent() throws Exception {
        FileBlobStore store = store();
        BlobRef a = put(store, new byte[4096]);
        BlobRef b = put(store, new byte[1000]);
        assertEquals(5096, store.usedBytes());

        store.delete(a);
        assertFalse(store.exists(a));
        assertTrue(store.exists(b));
        assertEquals(1000, store.usedBytes());
        store.delete(a);
        assertThrows(NoSuchFileException.class, () -> store.open(a));
    }

    /** Bad ids and null refs: {@link BlobStoreContract}; a hash that is not one is refused before reading. */
    @Test
    void aHashThatIsNotOneGivesAClearError() throws Exception {
        FileBlobStore store = store();
        BlobRef real = put(store, new byte[] {1});
        IllegalArgumentException badHash = assertThrows(IllegalArgumentException.class,
                () -> store.open(new BlobRef(real.id(), 1, "xyz")));
        assertTrue(badHash.getMessage().contains("SHA-256"), badHash.getMessage());
    }

    /** A writer used after its commit: {@link BlobStoreContract}. */
    @Test
    void closedStoreRejectsCommits() throws Exception {
        FileBlobStore store = store();
        BlobWriter late = store.create();
        late.write(new byte[] {1}, 0, 1);
        store.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> late.commit().toCompletableFuture().get());
        assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
        assertEquals(0, countFiles(store.tempDirectory()));
    }

    @Test
    void idsAreTimeOrderedAndDistinct() {
        String earlier = BlobIds.next(1_700_000_000_000L);
        String later = BlobIds.next(1_700_000_000_001L);
        assertTrue(earlier.compareTo(later) < 0);
        assertNotEquals(BlobIds.next(5), BlobIds.next(5));
        assertTrue(BlobIds.isValid(earlier));
        assertEquals(26, earlier.length());
    }

    @Test
    void concurrentFileCommitsFromTwentyThreadsAreDurableAndDistinct() throws Exception {
        concurrentCommitsFromTwentyThreads(fileStore(), false);
    }

    @Test
    void concurrentPackedCommitsFromTwentyThreadsAreDurableAndDistinct() throws Exception {
        concurrentCommitsFromTwentyThreads(store(), true);
    }

    private void concurrentCommitsFromTwentyThreads(FileBlobStore store, boolean packed) throws Exception {
        int threads = 20;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<BlobRef>>> futures = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<BlobRef> refs = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        refs.add(put(store, ("thread " + thread + " message " + i).getBytes(StandardCharsets.UTF_8)));
                    }
                    return refs;
                }));
            }
            start.countDown();
            Set<String> ids = new HashSet<>();
            List<BlobRef> all = new ArrayList<>();
            for (Future<List<BlobRef>> f : futures) {
                for (BlobRef r : f.get(2, TimeUnit.MINUTES)) {
                    assertTrue(ids.add(r.id()), "duplicate id " + r.id());
                    all.add(r);
                }
            }
            assertEquals(threads * perThread, all.size());
            CommitStats stats = store.commitStats();
            assertEquals(threads * perThread, stats.commits());
            if (packed) {
                // every batch is one append and one force of the single segment
                assertEquals(stats.batches(), stats.fileSyncs());
                assertEquals(1, stats.directorySyncs());
                assertTrue(all.stream().allMatch(r -> r.id().startsWith("p")));
            } else {
                assertEquals(threads * perThread, stats.fileSyncs());
            }
            store.close();

            FileBlobStore reopened = store();
            for (BlobRef r : all) {
                String text = new String(readAll(reopened.open(r)), StandardCharsets.UTF_8);
                assertTrue(text.startsWith("thread "), text);
            }
            assertEquals(0, countFiles(reopened.tempDirectory()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void waitingCommitsShareOneBatchAndOneDirectorySyncPerDirectory() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FileBlobStore store = store(-1, FileBlobStore.DEFAULT_SEGMENT_BYTES, gated(release));

        int writers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<CompletionStage<BlobRef>>> submitted = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                byte[] content = ("message " + i).getBytes(StandardCharsets.US_ASCII);
                submitted.add(pool.submit(() -> {
                    BlobWriter w = store.create();
                    w.write(content, 0, content.length);
                    return w.commit();
                }));
            }
            List<CompletionStage<BlobRef>> stages = new ArrayList<>();
            for (Future<CompletionStage<BlobRef>> f : submitted) {
                stages.add(f.get(1, TimeUnit.MINUTES));
            }
            release.countDown();
            Set<Path> expectedDirectorySyncs = new HashSet<>();
            for (CompletionStage<BlobRef> stage : stages) {
                BlobRef ref = stage.toCompletableFuture().get(1, TimeUnit.MINUTES);
                Path leaf = store.pathOf(ref.id()).getParent();
                // a fresh store creates the fan-out directories, so their parents are synced as well
                expectedDirectorySyncs.add(leaf);
                expectedDirectorySyncs.add(leaf.getParent());
                expectedDirectorySyncs.add(leaf.getParent().getParent());
            }
            CommitStats stats = store.commitStats();
            assertEquals(1, stats.batches());
            assertEquals(writers, stats.commits());
            assertEquals(writers, stats.fileSyncs());
            assertEquals(expectedDirectorySyncs.size(), stats.directorySyncs());
            assertTrue(stats.directorySyncs() < writers);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fiftyMegabytesStreamThroughInChunks() throws Exception {
        FileBlobStore store = store();
        assertEquals(256 * 1024, FileBlobStore.DEFAULT_PACK_THRESHOLD);
        int chunk = 64 * 1024;
        int chunks = 800;
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        Random random = new Random(42);
        byte[] buf = new byte[chunk];
        BlobWriter w = store.create();
        for (int i = 0; i < chunks; i++) {
            random.nextBytes(buf);
            expected.update(buf);
            w.write(buf, 0, chunk);
        }
        long total = (long) chunk * chunks;
        assertEquals(total, w.size());
        // the bytes are on disk already, not buffered by the writer
        try (var files = Files.list(store.tempDirectory())) {
            assertEquals(total, Files.size(files.findFirst().orElseThrow()));
        }
        BlobRef ref = w.commit().toCompletableFuture().get(1, TimeUnit.MINUTES);
        String expectedHex = HexFormat.of().formatHex(expected.digest());
        assertEquals(expectedHex, ref.sha256());
        assertEquals(total, ref.size());

        MessageDigest read = MessageDigest.getInstance("SHA-256");
        long count = 0;
        try (InputStream in = store.open(ref)) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                read.update(buf, 0, n);
                count += n;
            }
        }
        assertEquals(total, count);
        assertEquals(expectedHex, HexFormat.of().formatHex(read.digest()));
    }

    private static long countFiles(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.count();
        }
    }


    @Test
    void unusableDataDirectoryIsNamed() throws Exception {
        Path notADir = Files.writeString(dataDir.resolve("plain-file"), "x");
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> BlobStores.filesystem(notADir));
        assertTrue(e.getMessage().contains(notADir.toString()), e.getMessage());
    }
}
