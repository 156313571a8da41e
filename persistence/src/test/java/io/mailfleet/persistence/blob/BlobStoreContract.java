package io.mailfleet.persistence.blob;

import io.mailfleet.core.blob.BlobCorruptedException;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.blob.StoredBlob;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link BlobStore} promises, run against each store by a subclass: committed bytes read
 * back whole and by range with their hash and size, a wrong hash is corruption, uncommitted and
 * aborted bytes are never visible and leave nothing behind, a writer is single-use, delete is
 * idempotent, bad refs are named, and listing shows exactly the committed, undeleted blobs created
 * before the given time with refs delete accepts. Store-specific behaviour stays in each store's
 * own test class.
 */
abstract class BlobStoreContract {

    /** Larger than every store's in-memory or packing threshold: the path big messages take. */
    static final int LARGE = 3 * 1024 * 1024 + 17;

    /** A fresh, empty store (closed by the subclass after the test). */
    abstract BlobStore store() throws IOException;

    /** Files a store's writers leave in its temp or spool area (0 when it left nothing). */
    abstract long leftovers() throws IOException;

    /** Whether a small blob's writer keeps its bytes in memory, so {@link BlobWriter#committedBytes()} has them. */
    boolean keepsSmallBlobsInMemory() {
        return false;
    }

    static BlobRef put(BlobStore store, byte[] bytes, int chunk) throws Exception {
        try (BlobWriter w = store.create()) {
            for (int i = 0; i < bytes.length; i += chunk) {
                w.write(bytes, i, Math.min(chunk, bytes.length - i));
            }
            assertEquals(bytes.length, w.size());
            return w.commit().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static Map<String, StoredBlob> list(BlobStore store, Instant before) throws IOException {
        Map<String, StoredBlob> seen = new HashMap<>();
        store.list(before, b -> assertNull(seen.put(b.ref().id(), b), "listed twice: " + b.ref().id()));
        return seen;
    }

    @Test
    void committedBlobReadsBackWithItsHashAndSize() throws Exception {
        BlobStore store = store();
        byte[] content = "Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        BlobRef ref = put(store, content, 5);

        assertEquals(content.length, ref.size());
        assertEquals(sha256(content), ref.sha256());
        assertTrue(store.exists(ref));
        assertArrayEquals(content, readAll(store.open(ref)));
        assertEquals(0, leftovers());
    }

    @Test
    void aWritersBytesInMemoryAreOfferedOnlyOnceCommittedAndAreExactlyTheBlob() throws Exception {
        BlobStore store = store();
        byte[] small = "Subject: kept\r\n\r\nin memory\r\n".getBytes(StandardCharsets.US_ASCII);
        try (BlobWriter w = store.create()) {
            w.write(small, 0, small.length);
            assertTrue(w.committedBytes().isEmpty(), "offered before the commit");
            w.commit().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(keepsSmallBlobsInMemory(), w.committedBytes().isPresent());
            if (w.committedBytes().isPresent()) {
                assertArrayEquals(small, readAll(w.committedBytes().get()));
                assertArrayEquals(small, readAll(w.committedBytes().get()), "a fresh stream on every call");
            }
        }
        byte[] big = random(LARGE, 11);
        try (BlobWriter w = store.create()) {
            w.write(big, 0, big.length);
            w.commit().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertTrue(w.committedBytes().isEmpty(), "a blob over the in-memory threshold is read from the store");
        }
    }

    @Test
    void emptyBlobIsValid() throws Exception {
        BlobStore store = store();
        BlobRef ref = put(store, new byte[0], 1);
        assertEquals(0, ref.size());
        assertArrayEquals(new byte[0], readAll(store.open(ref)));
    }

    @Test
    void largeBlobStreamsThroughAndReadsByRange() throws Exception {
        BlobStore store = store();
        byte[] big = random(LARGE, 7);
        BlobRef ref = put(store, big, 64 * 1024);

        assertEquals(sha256(big), ref.sha256());
        assertArrayEquals(big, readAll(store.open(ref)));
        assertArrayEquals(Arrays.copyOfRange(big, 1_000_000, 1_070_000), readAll(store.openRange(ref, 1_000_000, 70_000)));
        assertArrayEquals(Arrays.copyOfRange(big, LARGE - 5, LARGE), readAll(store.openRange(ref, LARGE - 5, 5)));
        assertEquals(0, leftovers(), "spool and temp files are gone after the commit");
    }

    @Test
    void readRangesReturnTheRequestedBytes() throws Exception {
        BlobStore store = store();
        byte[] content = "abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);
        BlobRef ref = put(store, content, 100);

        assertEquals("defg", new String(readAll(store.openRange(ref, 3, 4)), StandardCharsets.US_ASCII));
        assertEquals("xyz", new String(readAll(store.openRange(ref, 23, 3)), StandardCharsets.US_ASCII));
        assertEquals("", new String(readAll(store.openRange(ref, 26, 0)), StandardCharsets.US_ASCII));
        assertEquals(0, readAll(store.openRange(ref, 3, 0)).length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.openRange(ref, 20, 7));
        assertTrue(e.getMessage().contains(ref.id()), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.openRange(ref, -1, 2));
        assertThrows(IllegalArgumentException.class, () -> store.openRange(ref, 0, -2));
    }

    @Test
    void aRecordedHashThatDoesNotMatchIsReportedAsCorruption() throws Exception {
        BlobStore store = store();
        BlobRef ref = put(store, "original".getBytes(StandardCharsets.US_ASCII), 100);
        BlobRef wrong = new BlobRef(ref.id(), ref.size(), "0".repeat(64));
        BlobCorruptedException e = assertThrows(BlobCorruptedException.class, () -> readAll(store.open(wrong)));
        assertTrue(e.getMessage().contains(ref.id()), e.getMessage());
    }

    @Test
    void abortedWritersLeaveNothingBehindAndRefuseMore() throws Exception {
        BlobStore store = store();
        BlobWriter w = store.create();
        byte[] big = new byte[LARGE];
        w.write(big, 0, big.length);
        w.abort();
        w.abort();
        assertEquals(0, leftovers());
        assertThrows(IllegalStateException.class, () -> w.write(big, 0, 1));
        ExecutionException afterAbort = assertThrows(ExecutionException.class,
                () -> w.commit().toCompletableFuture().get(30, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, afterAbort.getCause());

        BlobWriter closedUncommitted = store.create();
        closedUncommitted.write(new byte[100], 0, 100);
        closedUncommitted.close();
        assertEquals(0, leftovers());
        assertEquals(Map.of(), list(store, Instant.now().plusSeconds(3600)), "nothing was committed");
    }

    @Test
    void aWriterIsUsedOnceAndClosingItAfterCommitKeepsTheBlob() throws Exception {
        BlobStore store = store();
        BlobWriter w = store.create();
        w.write(new byte[] {42}, 0, 1);
        BlobRef ref = w.commit().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThrows(IllegalStateException.class, () -> w.write(new byte[1], 0, 1));
        assertThrows(ExecutionException.class, () -> w.commit().toCompletableFuture().get(30, TimeUnit.SECONDS));
        w.close();
        assertTrue(store.exists(ref), "closing a committed writer must not remove the blob");
        assertArrayEquals(new byte[] {42}, readAll(store.open(ref)));
    }

    @Test
    void deleteIsIdempotentAndAMissingBlobIsNamed() throws Exception {
        BlobStore store = store();
        BlobRef a = put(store, "bytes".getBytes(StandardCharsets.US_ASCII), 100);
        BlobRef b = put(store, new byte[1000], 100);
        assertTrue(store.exists(a));

        store.delete(a);
        assertFalse(store.exists(a));
        assertTrue(store.exists(b));
        store.delete(a);
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> store.open(a));
        assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains(a.id()), e.getMessage());
    }

    @Test
    void badRefsGiveClearErrors() throws Exception {
        BlobStore store = store();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.open(new BlobRef("../../etc/passwd", 1, "0".repeat(64))));
        assertTrue(e.getMessage().contains("../../etc/passwd"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.exists(null));
    }

    @Test
    void listsExactlyTheCommittedUndeletedBlobsBeforeATimeWithRefsDeleteAccepts() throws Exception {
        BlobStore store = store();
        Instant beforeWrites = Instant.now();
        Map<String, BlobRef> refs = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            BlobRef r = put(store, ("blob " + i).repeat(i + 1).getBytes(StandardCharsets.US_ASCII), 100);
            refs.put(r.id(), r);
        }
        BlobRef big = put(store, random(LARGE, 3), 64 * 1024);
        refs.put(big.id(), big);

        Map<String, StoredBlob> listed = list(store, Instant.now().plusSeconds(3600));
        assertEquals(refs.keySet(), listed.keySet());
        for (StoredBlob b : listed.values()) {
            assertEquals(refs.get(b.ref().id()).size(), b.ref().size());
            assertFalse(b.created().isBefore(beforeWrites), b.created() + " is before the write at " + beforeWrites);
        }
        StoredBlob one = listed.values().iterator().next();
        assertFalse(list(store, one.created()).containsKey(one.ref().id()));
        assertTrue(list(store, one.created().plusMillis(1)).containsKey(one.ref().id()));

        for (StoredBlob b : listed.values()) {
            store.delete(b.ref());
        }
        for (BlobRef r : refs.values()) {
            assertFalse(store.exists(r));
        }
        assertEquals(Map.of(), list(store, Instant.now().plusSeconds(3600)));
    }

    @Test
    void concurrentCommitsAreDistinctAndAllListed() throws Exception {
        BlobStore store = store();
        Set<String> ids = new HashSet<>();
        Map<String, byte[]> contents = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            List<CompletableFuture<BlobRef>> commits = new java.util.ArrayList<>();
            List<byte[]> written = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                BlobWriter w = store.create();
                byte[] b = ("message " + round + "/" + i).getBytes(StandardCharsets.US_ASCII);
                w.write(b, 0, b.length);
                written.add(b);
                commits.add(w.commit().toCompletableFuture());
            }
            for (int i = 0; i < commits.size(); i++) {
                BlobRef r = commits.get(i).get(30, TimeUnit.SECONDS);
                assertTrue(ids.add(r.id()), "id handed out twice: " + r.id());
                contents.put(r.id(), written.get(i));
                assertArrayEquals(written.get(i), readAll(store.open(r)));
            }
        }
        assertEquals(120, ids.size());
        assertEquals(ids, list(store, Instant.now().plusSeconds(3600)).keySet());
    }
}
