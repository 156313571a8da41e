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
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small blobs packed into segment files: batching, crash recovery, corruption and reclaim. */
class PackedBlobStoreTest {

    @TempDir
    Path dataDir;

    private final List<FileBlobStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(FileBlobStore::close);
    }

    private FileBlobStore store(long packThreshold, long segmentBytes, ThreadFactory committer) throws IOException {
        FileBlobStore s = new FileBlobStore(dataDir.resolve("blobs"), FileBlobStore.DEFAULT_STALE_TEMP_AGE,
                Clock.systemUTC(), committer, Runnable::run, packThreshold, segmentBytes);
        stores.add(s);
        return s;
    }

    private FileBlobStore store() throws IOException {
        return store(FileBlobStore.DEFAULT_PACK_THRESHOLD, FileBlobStore.DEFAULT_SEGMENT_BYTES,
                GroupCommitter.daemon("test-committer"));
    }

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

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static PackedId packed(BlobRef ref) {
        PackedId id = PackedId.parse(ref.id());
        assertTrue(id != null, "not a packed id: " + ref.id());
        return id;
    }

    @Test
    void smallBlobRoundTripsThroughASegment() throws Exception {
        FileBlobStore store = store();
        byte[] content = random(2048, 1);
        BlobRef ref = put(store, content);

        assertTrue(ref.id().matches("p[0-9]+-[0-9]+"), ref.id());
        assertEquals(2048, ref.size());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), ref.sha256());
        assertTrue(store.exists(ref));
        assertArrayEquals(content, read(store.open(ref)));
        assertArrayEquals(Arrays.copyOfRange(content, 100, 350), read(store.openRange(ref, 100, 250)));
        assertArrayEquals(new byte[0], read(store.openRange(ref, 2048, 0)));
        assertThrows(IllegalArgumentException.class, () -> store.openRange(ref, 2000, 49));
        Path segment = store.segmentPath(packed(ref).segment());
        assertTrue(Files.size(segment) >= packed(ref).offset() + 2048);
        assertEquals(2048, store.usedBytes());
        assertEquals(0, countFiles(store.tempDirectory()), "a small blob never touches the temp directory");

        BlobRef second = put(store, "second".getBytes(StandardCharsets.US_ASCII));
        assertEquals(packed(ref).segment(), packed(second).segment());
        assertArrayEquals(content, read(store.open(ref)));
        assertEquals("second", new String(read(store.open(second)), StandardCharsets.US_ASCII));
        assertFalse(store.exists(new BlobRef("p" + (packed(ref).segment() + 1) + "-24", 5, ref.sha256())),
                "a segment that does not exist");
    }

    @Test
    void twentyWaitingSmallCommitsCostOneBatchAndOneFsync() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FileBlobStore store = store(FileBlobStore.DEFAULT_PACK_THRESHOLD, FileBlobStore.DEFAULT_SEGMENT_BYTES,
                gated(release));
        int writers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<CompletionStage<BlobRef>>> submitted = new ArrayList<>();
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
            for (CompletionStage<BlobRef> stage : stages) {
                assertFalse(stage.toCompletableFuture().isDone(), "nothing completes before its batch is durable");
            }
            release.countDown();
            Set<String> texts = new HashSet<>();
            Set<Long> segments = new HashSet<>();
            for (CompletionStage<BlobRef> stage : stages) {
                BlobRef ref = stage.toCompletableFuture().get(1, TimeUnit.MINUTES);
                texts.add(new String(read(store.open(ref)), StandardCharsets.US_ASCII));
                segments.add(packed(ref).segment());
            }
            assertEquals(writers, texts.size());
            assertEquals(1, segments.size());
            CommitStats stats = store.commitStats();
            assertEquals(new CommitStats(writers, 1, 1, 1), stats, "one force of the segment, one fsync of seg/");

            put(store, new byte[] {1, 2, 3});
            assertEquals(new CommitStats(writers + 1, 2, 2, 1), store.commitStats(),
                    "a later batch in the same segment needs no directory fsync");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void smallAndLargeBlobsCommitInOneBatch() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FileBlobStore store = store(1024, FileBlobStore.DEFAULT_SEGMENT_BYTES, gated(release));
        List<byte[]> contents = new ArrayList<>();
        List<CompletionStage<BlobRef>> stages = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] content = random(i % 2 == 0 ? 700 : 5000, i);
            contents.add(content);
            BlobWriter w = store.create();
            w.write(content, 0, content.length);
            stages.add(w.commit());
        }
        release.countDown();
        Set<Path> fileDirs = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            BlobRef ref = stages.get(i).toCompletableFuture().get(1, TimeUnit.MINUTES);
            assertArrayEquals(contents.get(i), read(store.open(ref)));
            if (i % 2 == 0) {
                assertTrue(ref.id().startsWith("p"), ref.id());
            } else {
                assertTrue(BlobIds.isValid(ref.id()), ref.id());
                assertTrue(Files.isRegularFile(store.pathOf(ref.id())));
                Path leaf = store.pathOf(ref.id()).getParent();
                fileDirs.add(leaf);
                fileDirs.add(leaf.getParent());
                fileDirs.add(leaf.getParent().getParent());
            }
        }
        CommitStats stats = store.commitStats();
        assertEquals(1, stats.batches());
        assertEquals(8, stats.commits());
        assertEquals(1 + 4, stats.fileSyncs(), "one segment force plus one fsync per large blob");
        assertEquals(1 + fileDirs.size(), stats.directorySyncs());
        assertEquals(4 * 700 + 4 * 5000, store.usedBytes());
    }

    @Test
    void corruptedOrTruncatedSegmentIsDetected() throws Exception {
        FileBlobStore store = store();
        byte[] content = random(3000, 7);
        BlobRef ref = put(store, content);
        Path segment = store.segmentPath(packed(ref).segment());
        byte[] stored = Files.readAllBytes(segment);
        stored[(int) packed(ref).offset() + 1500] ^= 0x10;
        Files.write(segment, stored);

        BlobCorruptedException flipped = assertThrows(BlobCorruptedException.class, () -> read(store.open(ref)));
        assertTrue(flipped.getMessage().contains(ref.id()) && flipped.getMessage().contains("SHA-256"),
                flipped.getMessage());

        Files.write(segment, Arrays.copyOf(stored, (int) packed(ref).offset() + 1000));
        BlobCorruptedException cut = assertThrows(BlobCorruptedException.class, () -> read(store.open(ref)));
        assertTrue(cut.getMessage().contains(ref.id()) && cut.getMessage().contains("2000 bytes before"),
                cut.getMessage());
        assertThrows(BlobCorruptedException.class, () -> read(store.openRange(ref, 900, 200)));
    }

    @Test
    void crashTailIsInvisibleAndRestartWritesANewSegment() throws Exception {
        FileBlobStore crashed = store();
        byte[] first = random(1500, 1);
        List<BlobRef> committed = new ArrayList<>();
        committed.add(put(crashed, first));
        committed.add(put(crashed, random(800, 2)));
        committed.add(put(crashed, "third".getBytes(StandardCharsets.US_ASCII)));
        long segment = packed(committed.get(0)).segment();
        Path file = crashed.segmentPath(segment);
        long durable = Files.size(file);

        // a batch the process was writing when it died: header and payload are on disk, the last
        // payload byte is not what was written (its force never completed)
        byte[] firstBatch = Arrays.copyOf(Files.readAllBytes(file), SegmentStore.HEADER + first.length);
        firstBatch[firstBatch.length - 1] ^= 0x01;
        Files.write(file, firstBatch, StandardOpenOption.APPEND);
        BlobRef torn = new BlobRef("p" + segment + "-" + (durable + SegmentStore.HEADER), first.length,
                committed.get(0).sha256());
        assertFalse(crashed.exists(torn));
        assertThrows(NoSuchFileException.class, () -> crashed.open(torn));

        // restart without closing the first store: its segment was never sealed
        FileBlobStore restarted = store();
        assertFalse(restarted.exists(torn), "the torn batch fails its checksum and stays invisible");
        assertThrows(NoSuchFileException.class, () -> restarted.open(torn));
        assertArrayEquals(first, read(restarted.open(committed.get(0))));
        for (BlobRef r : committed) {
            assertTrue(restarted.exists(r));
            read(restarted.open(r));
        }
        BlobRef after = put(restarted, random(100, 3));
        assertNotEquals(segment, packed(after).segment(), "a restarted store never appends to an old segment");
        assertTrue(packed(after).segment() > segment);
        assertEquals(durable + firstBatch.length, Files.size(file));
        restarted.close();
        crashed.close();

        FileBlobStore third = store();
        for (BlobRef r : committed) {
            read(third.open(r));
        }
        assertArrayEquals(random(100, 3), read(third.open(after)));
        assertFalse(third.exists(torn));
    }

    @Test
    void fullyDeletedSealedSegmentIsReclaimed() throws Exception {
        // 2200-byte segments hold two 1000-byte blobs (each batch adds a 24-byte header and a 40-byte directory)
        FileBlobStore store = store(1024, 2200, GroupCommitter.daemon("test-committer"));
        BlobRef a = put(store, random(1000, 1));
        BlobRef b = put(store, random(1000, 2));
        BlobRef c = put(store, random(1000, 3));
        long first = packed(a).segment();
        assertEquals(first, packed(b).segment());
        assertNotEquals(first, packed(c).segment(), "the third blob rolls over to a new segment");
        Path seg = store.segmentPath(first);
        assertEquals(3000, store.usedBytes());

        store.delete(a);
        assertFalse(store.exists(a));
        assertTrue(store.exists(b));
        assertThrows(NoSuchFileException.class, () -> store.open(a));
        assertEquals(2000, store.usedBytes());
        store.delete(a);
        assertTrue(Files.exists(seg), "b is still live");
        assertEquals((packed(a).offset() + " 1000\n"), Files.readString(seg.resolveSibling(first + ".del")));

        BlobRef wrongHash = new BlobRef(b.id(), b.size(), "0".repeat(64));
        assertThrows(BlobCorruptedException.class, () -> store.delete(wrongHash));
        assertTrue(store.exists(b), "a ref whose hash does not match the bytes deletes nothing");

        store.delete(b);
        assertFalse(Files.exists(seg));
        assertFalse(Files.exists(seg.resolveSibling(first + ".del")));
        assertFalse(Files.exists(seg.resolveSibling(first + ".idx")));
        store.delete(b);
        assertFalse(store.exists(b));
        assertArrayEquals(random(1000, 3), read(store.open(c)));

        store.delete(c);
        Path current = store.segmentPath(packed(c).segment());
        assertTrue(Files.exists(current), "the segment being written is kept");
        assertEquals(0, store.usedBytes());
        store.close();
        store(1024, 2200, GroupCommitter.daemon("test-committer"));
        assertFalse(Files.exists(current), "once sealed, a fully deleted segment goes on the next start");
    }

    @Test
    void blobsBeyondTheThresholdSpillToATempFile() throws Exception {
        FileBlobStore store = store(1024, FileBlobStore.DEFAULT_SEGMENT_BYTES, GroupCommitter.daemon("test-committer"));
        FileBlobWriter atLimit = (FileBlobWriter) store.create();
        atLimit.write(random(1000, 1), 0, 1000);
        atLimit.write(random(24, 2), 0, 24);
        assertFalse(atLimit.spilled());
        assertEquals(0, countFiles(store.tempDirectory()));
        BlobRef packedRef = atLimit.commit().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertTrue(packedRef.id().startsWith("p"), packedRef.id());
        assertEquals(1024, packedRef.size());

        FileBlobWriter over = (FileBlobWriter) store.create();
        byte[] head = random(1000, 3);
        byte[] tail = random(100, 4);
        over.write(head, 0, head.length);
        over.write(tail, 0, tail.length);
        assertTrue(over.spilled());
        assertEquals(1100, Files.size(store.tempDirectory().resolve(over.id() + ".tmp")));
        BlobRef fileRef = over.commit().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(over.id(), fileRef.id());
        byte[] expected = new byte[1100];
        System.arraycopy(head, 0, expected, 0, 1000);
        System.arraycopy(tail, 0, expected, 1000, 100);
        assertArrayEquals(expected, Files.readAllBytes(store.pathOf(fileRef.id())));
        assertArrayEquals(expected, read(store.open(fileRef)));
        assertEquals(0, countFiles(store.tempDirectory()));

        BlobRef empty = put(store, new byte[0]);
        assertTrue(BlobIds.isValid(empty.id()), "an empty blob is stored as a file: " + empty.id());
        assertArrayEquals(new byte[0], read(store.open(empty)));
    }

    @Test
    void invalidSettingsAndForgedPackedRefsGiveClearErrors() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store(4096, 2048, GroupCommitter.daemon("test-committer")));
        assertTrue(e.getMessage().contains("pack threshold 4096"), e.getMessage());
        FileBlobStore store = store();
        BlobRef ref = put(store, random(50, 1));
        assertFalse(store.exists(new BlobRef(ref.id(), 5000, ref.sha256())), "a range past the durable end");
        assertFalse(store.exists(new BlobRef("p12-0", 5, ref.sha256())));
        store.delete(new BlobRef("p12-0", 5, ref.sha256()));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> store.open(new BlobRef("p1-2-3", 5, ref.sha256())));
        assertTrue(bad.getMessage().contains("p<segment>-<offset>"), bad.getMessage());
    }

    private static long countFiles(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.count();
        }
    }
}
