package io.mailfleet.persistence.blob;

import io.mailfleet.core.blob.BlobCorruptedException;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.blob.StoredBlob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Listing a file blob store for garbage collection: blobs as files and packed in segments. */
class FileBlobListingTest {

    private static final Instant FAR = Instant.now().plus(Duration.ofDays(1));

    @TempDir
    Path dataDir;

    private final List<FileBlobStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(FileBlobStore::close);
    }

    /** Blobs up to 1 KiB are packed, 2200-byte segments hold two 1000-byte blobs. */
    private FileBlobStore store() throws IOException {
        FileBlobStore s = new FileBlobStore(dataDir.resolve("blobs"), FileBlobStore.DEFAULT_STALE_TEMP_AGE,
                Clock.systemUTC(), GroupCommitter.daemon("test-committer"), Runnable::run, 1024, 2200);
        stores.add(s);
        return s;
    }

    private static BlobRef put(FileBlobStore store, byte[] content) throws Exception {
        try (BlobWriter w = store.create()) {
            w.write(content, 0, content.length);
            return w.commit().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static Map<String, StoredBlob> list(FileBlobStore store, Instant before) throws IOException {
        Map<String, StoredBlob> seen = new HashMap<>();
        store.list(before, b -> {
            StoredBlob twice = seen.put(b.ref().id(), b);
            assertNull(twice, "listed twice: " + b.ref().id());
        });
        return seen;
    }

    private static boolean packed(BlobRef ref) {
        return PackedId.parse(ref.id()) != null;
    }

    @Test
    void listsExactlyTheCommittedUndeletedBlobsWithTheirSizes() throws Exception {
        FileBlobStore store = store();
        Instant beforeWrites = Instant.now();
        List<BlobRef> kept = new ArrayList<>();
        kept.add(put(store, random(1000, 1)));
        kept.add(put(store, "a small one".getBytes(StandardCharsets.US_ASCII)));
        kept.add(put(store, random(1000, 2)));
        kept.add(put(store, random(5000, 3)));
        kept.add(put(store, new byte[0]));
        BlobRef deletedPacked = put(store, random(700, 4));
        BlobRef deletedFile = put(store, random(3000, 5));
        store.delete(deletedPacked);
        store.delete(deletedFile);
        Instant afterWrites = Instant.now();
        assertTrue(kept.stream().anyMatch(FileBlobListingTest::packed) && kept.stream().anyMatch(r -> !packed(r)));

        // an upload in progress, and files that are no blobs
        BlobWriter open = store.create();
        open.write(random(4000, 6), 0, 4000);
        try (Stream<Path> temps = Files.list(store.tempDirectory())) {
            assertEquals(1, temps.count());
        }
        Path someDir = store.pathOf(kept.get(3).id()).getParent();
        Files.writeString(someDir.resolve("README"), "not a blob");
        Files.writeString(someDir.resolve("0000000000000000000000000z"), "not a blob id either");
        Files.writeString(store.root().resolve("stray"), "stray file at the top");

        Map<String, StoredBlob> listed = list(store, FAR);
        assertEquals(kept.stream().map(BlobRef::id).collect(Collectors.toSet()), listed.keySet());
        for (BlobRef ref : kept) {
            StoredBlob b = listed.get(ref.id());
            assertEquals(ref.size(), b.ref().size(), ref.id());
            assertEquals(packed(ref) ? ref.sha256() : null, b.ref().sha256(), ref.id());
            assertFalse(b.created().isBefore(beforeWrites), ref.id() + " listed as created at " + b.created()
                    + ", before its write started at " + beforeWrites);
            assertTrue(b.created().isBefore(afterWrites.plus(Duration.ofMinutes(1))), b.created().toString());
        }
        open.abort();
    }

    @Test
    void onlyBlobsCreatedBeforeTheGivenTimeAreListed() throws Exception {
        FileBlobStore store = store();
        BlobRef packedRef = put(store, random(100, 1));
        BlobRef fileRef = put(store, random(2000, 2));
        Map<String, StoredBlob> all = list(store, FAR);
        assertEquals(Set.of(packedRef.id(), fileRef.id()), all.keySet());

        for (BlobRef ref : List.of(packedRef, fileRef)) {
            Instant created = all.get(ref.id()).created();
            assertFalse(list(store, created).containsKey(ref.id()), "a blob created at the cut-off is not before it");
            assertTrue(list(store, created.plusMillis(1)).containsKey(ref.id()));
        }
        assertEquals(Map.of(), list(store, Instant.now().minus(Duration.ofMinutes(1))));
    }

    @Test
    void everyListedRefIsAcceptedByDeleteWhichReclaimsItsSpace() throws Exception {
        FileBlobStore store = store();
        List<BlobRef> refs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            refs.add(put(store, random(1000, i)));
        }
        refs.add(put(store, random(4000, 10)));
        refs.add(put(store, new byte[0]));
        long firstSegment = PackedId.parse(refs.get(0).id()).segment();
        assertTrue(firstSegment != store.currentSegment(), "five 1000-byte blobs span several segments");
        assertEquals(9000, store.usedBytes());

        List<StoredBlob> listed = new ArrayList<>();
        store.list(FAR, listed::add);
        assertEquals(refs.size(), listed.size());
        for (StoredBlob b : listed) {
            store.delete(b.ref());
        }

        for (BlobRef ref : refs) {
            assertFalse(store.exists(ref), ref.id());
        }
        assertEquals(0, store.usedBytes());
        assertFalse(Files.exists(store.segmentPath(firstSegment)), "a sealed segment whose blobs all went is reclaimed");
        assertFalse(Files.exists(store.pathOf(refs.get(5).id())));
        assertEquals(Map.of(), list(store, FAR));
        for (StoredBlob b : listed) {
            store.delete(b.ref());
        }
    }

    @Test
    void aTornSegmentTailIsNeverListed() throws Exception {
        FileBlobStore crashed = store();
        BlobRef first = put(crashed, random(500, 1));
        BlobRef second = put(crashed, random(300, 2));
        long segment = PackedId.parse(first.id()).segment();
        Path file = crashed.segmentPath(segment);
        long durable = Files.size(file);
        byte[] batches = Files.readAllBytes(file);

        // a copy of the first batch, its last byte damaged: as if its force never completed
        long firstBatchBytes = SegmentBatches.batchBytes(1, 500);
        byte[] torn = Arrays.copyOf(batches, (int) firstBatchBytes);
        torn[torn.length - 1] ^= 0x01;
        Files.write(file, torn, StandardOpenOption.APPEND);
        // and a whole, undamaged batch the running store never committed
        Files.write(file, Arrays.copyOf(batches, (int) firstBatchBytes), StandardOpenOption.APPEND);

        assertEquals(Set.of(first.id(), second.id()), list(crashed, FAR).keySet(),
                "a running store lists only what it committed");
        FileBlobStore restarted = store();
        assertEquals(Set.of(first.id(), second.id()), list(restarted, FAR).keySet(),
                "after a crash only the checksummed batches before the torn one count");
        assertTrue(Files.size(file) > durable);
    }

    @Test
    void aSegmentShorterThanItsDurableExtentFailsTheListing() throws Exception {
        FileBlobStore store = store();
        BlobRef a = put(store, random(1000, 1));
        put(store, random(1000, 2));
        put(store, random(1000, 3));
        long sealed = PackedId.parse(a.id()).segment();
        assertTrue(sealed != store.currentSegment());
        try (FileChannel ch = FileChannel.open(store.segmentPath(sealed), StandardOpenOption.WRITE)) {
            ch.truncate(1500);
        }
        BlobCorruptedException e = assertThrows(BlobCorruptedException.class, () -> store.list(FAR, b -> { }));
        assertTrue(e.getMessage().contains(Long.toString(sealed)) && e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void anUnreadableDirectoryFailsTheListingNamingTheStore() throws Exception {
        FileBlobStore store = store();
        put(store, random(100, 1));
        Path seg = store.root().resolve("seg");
        try (Stream<Path> files = Files.list(seg)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(seg);
        Files.writeString(seg, "a file where the segment directory should be");

        IOException e = assertThrows(IOException.class, () -> store.list(FAR, b -> { }));
        assertTrue(e.getMessage().contains(seg.toString()), e.getMessage());
    }

    @Test
    void listsAStoreOfManyBlobsWrittenConcurrently() throws Exception {
        // the committer starts only once every commit is queued, so batches hold many blobs
        CountDownLatch release = new CountDownLatch(1);
        ThreadFactory gated = r -> {
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
        FileBlobStore store = new FileBlobStore(dataDir.resolve("many"), FileBlobStore.DEFAULT_STALE_TEMP_AGE,
                Clock.systemUTC(), gated, Runnable::run, 1024, 64 * 1024);
        stores.add(store);
        List<CompletableFuture<BlobRef>> commits = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            byte[] content = random(i % 50 == 0 ? 1500 : 20 + i % 900, i);
            BlobWriter w = store.create();
            w.write(content, 0, content.length);
            commits.add(w.commit().toCompletableFuture());
        }
        release.countDown();
        Map<String, BlobRef> refs = new HashMap<>();
        for (CompletableFuture<BlobRef> c : commits) {
            BlobRef r = c.get(60, TimeUnit.SECONDS);
            refs.put(r.id(), r);
        }
        assertEquals(3000, refs.size());
        Set<String> starts = refs.keySet();
        assertTrue(refs.values().stream().filter(FileBlobListingTest::packed).anyMatch(r -> starts.contains(
                        new PackedId(PackedId.parse(r.id()).segment(), PackedId.parse(r.id()).offset() + r.size()).toString())),
                "some batch holds several blobs back to back");

        Map<String, StoredBlob> listed = list(store, FAR);
        assertEquals(refs.keySet(), listed.keySet());
        for (StoredBlob b : listed.values()) {
            BlobRef r = refs.get(b.ref().id());
            assertEquals(r.size(), b.ref().size());
            if (packed(r)) {
                assertEquals(r, b.ref());
            }
        }
    }

    @Test
    void batchesWrittenBeforeTheDirectoryExistedAreStillReadButNotListed() throws Exception {
        byte[] old = "packed by an earlier version".getBytes(StandardCharsets.US_ASCII);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(old);
        Path seg = dataDir.resolve("blobs").resolve("seg");
        Files.createDirectories(seg);
        try (FileChannel ch = FileChannel.open(seg.resolve("1000.seg"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ch.write(new java.nio.ByteBuffer[] {
                    SegmentBatches.header(SegmentBatches.MAGIC_WITHOUT_DIRECTORY, old.length, (int) crc.getValue()),
                    java.nio.ByteBuffer.wrap(old)});
        }
        BlobRef oldRef = new BlobRef("p1000-" + SegmentBatches.HEADER, old.length,
                java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(old)));

        FileBlobStore store = store();
        assertTrue(store.exists(oldRef));
        try (var in = store.open(oldRef)) {
            assertEquals(new String(old, StandardCharsets.US_ASCII), new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
        BlobRef fresh = put(store, random(100, 1));
        assertEquals(Set.of(fresh.id()), list(store, FAR).keySet());
        store.delete(oldRef);
        assertFalse(store.exists(oldRef));
    }
}
