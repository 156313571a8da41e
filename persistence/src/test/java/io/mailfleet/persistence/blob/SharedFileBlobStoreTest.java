package io.mailfleet.persistence.blob;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several nodes on one blob directory: no shared segment file, and every node reads every blob. */
class SharedFileBlobStoreTest {

    @TempDir
    Path shared;

    private final List<FileBlobStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(FileBlobStore::close);
    }

    private FileBlobStore node(int slot, Clock clock) throws IOException {
        FileBlobStore s = new FileBlobStore(shared, FileBlobStore.DEFAULT_STALE_TEMP_AGE, clock,
                GroupCommitter.daemon("committer-" + slot), Runnable::run, FileBlobStore.DEFAULT_PACK_THRESHOLD,
                FileBlobStore.DEFAULT_SEGMENT_BYTES, slot);
        stores.add(s);
        return s;
    }

    private static BlobRef put(FileBlobStore store, String text) throws Exception {
        try (BlobWriter w = store.create()) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            w.write(b, 0, b.length);
            return w.commit().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static String read(FileBlobStore store, BlobRef ref) throws IOException {
        try (InputStream in = store.open(ref)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private List<String> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(shared.resolve("seg"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".seg")).sorted().toList();
        }
    }

    @Test
    void concurrentNodesWriteDistinctSegmentsAndReadEachOthersBlobs() throws Exception {
        FileBlobStore a = node(1, Clock.systemUTC());
        FileBlobStore b = node(2, Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<BlobRef>> refs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                FileBlobStore target = i % 2 == 0 ? a : b;
                String text = "message " + i + " from node " + (i % 2 == 0 ? "a" : "b");
                refs.add(pool.submit(() -> put(target, text)));
            }
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < refs.size(); i++) {
                BlobRef ref = refs.get(i).get(20, TimeUnit.SECONDS);
                assertTrue(ids.add(ref.id()), "blob id handed out twice: " + ref.id());
                String expected = "message " + i + " from node " + (i % 2 == 0 ? "a" : "b");
                assertEquals(expected, read(a, ref));
                assertEquals(expected, read(b, ref));
                assertTrue(a.exists(ref) && b.exists(ref));
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> segs = segmentFiles();
        assertEquals(2, segs.size(), "one segment per node: " + segs);
        Set<Long> slots = new HashSet<>();
        for (String n : segs) {
            slots.add(Long.parseLong(n.substring(0, n.length() - 4)) % SegmentStore.NODE_SLOTS);
        }
        assertEquals(Set.of(1L, 2L), slots, "segment ids carry the writer's slot: " + segs);
    }

    @Test
    void equalSlotsAndEqualClocksStillNeverShareAFile() throws Exception {
        Clock frozen = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        FileBlobStore a = node(7, frozen);
        FileBlobStore b = node(7, frozen);
        BlobRef ra = put(a, "from a");
        BlobRef rb = put(b, "from b");
        assertNotEquals(PackedId.parse(ra.id()).segment(), PackedId.parse(rb.id()).segment());
        assertEquals("from a", read(b, ra));
        assertEquals("from b", read(a, rb));
        assertEquals(2, segmentFiles().size());
    }

    @Test
    void aNodeStartingWhileAnotherWritesNeitherSealsNorHidesItsSegment() throws Exception {
        FileBlobStore a = node(1, Clock.systemUTC());
        BlobRef first = put(a, "written before b started");
        long live = PackedId.parse(first.id()).segment();

        FileBlobStore b = node(2, Clock.systemUTC());
        assertFalse(Files.exists(shared.resolve("seg").resolve(live + ".idx")),
                "a node starting up must not seal the segment another node is writing");
        assertEquals("written before b started", read(b, first));

        BlobRef later = put(a, "written after b started, same segment");
        assertEquals(live, PackedId.parse(later.id()).segment());
        assertEquals("written after b started, same segment", read(b, later), "b sees a's segment grow");

        a.close();
        assertTrue(Files.exists(shared.resolve("seg").resolve(live + ".idx")), "a seals its own segment on close");
        FileBlobStore c = node(3, Clock.systemUTC());
        assertEquals("written before b started", read(c, first));
        assertEquals("written after b started, same segment", read(c, later));
        assertEquals("written after b started, same segment", read(b, later));
    }

    /**
     * Lock semantics only show between processes: closing any descriptor of a file drops every POSIX
     * lock its process holds on it, so a writer reading its own blob must not unmark its segment for
     * a node process starting up next to it (as in a rolling restart of a cluster).
     */
    @Test
    void aWriterReadingItsOwnBlobsKeepsItsSegmentLiveForAnotherProcessStartingUp() throws Exception {
        FileBlobStore a = node(1, Clock.systemUTC());
        BlobRef first = put(a, "written and read by a");
        assertEquals("written and read by a", read(a, first));
        long live = PackedId.parse(first.id()).segment();

        assertEquals(List.of("written and read by a"), probe(2, first));
        assertFalse(Files.exists(shared.resolve("seg").resolve(live + ".idx")),
                "a node process starting up sealed the segment another node is still writing");

        BlobRef later = put(a, "appended after that start-up");
        assertEquals(live, PackedId.parse(later.id()).segment());
        assertEquals("appended after that start-up", read(a, later));
        assertEquals(List.of("written and read by a", "appended after that start-up"), probe(3, first, later));
    }

    /** Runs {@link SharedStoreProbe} in its own JVM on the shared directory; returns its output lines. */
    private List<String> probe(int slot, BlobRef... refs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                SharedStoreProbe.class.getName(), shared.toString(), Integer.toString(slot)));
        for (BlobRef r : refs) {
            cmd.add(r.id() + ":" + r.size() + ":" + r.sha256());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        return out.lines().filter(l -> !l.isBlank() && !l.contains("WARNING")).toList();
    }

    @Test
    void blobsDeletedOnAnyNodeReclaimASealedSegment() throws Exception {
        FileBlobStore a = node(1, Clock.systemUTC());
        BlobRef one = put(a, "one");
        BlobRef two = put(a, "two");
        long seg = PackedId.parse(one.id()).segment();
        a.close();

        FileBlobStore b = node(2, Clock.systemUTC());
        FileBlobStore c = node(3, Clock.systemUTC());
        b.delete(one);
        c.delete(two);
        assertFalse(c.exists(two));
        assertTrue(Files.exists(shared.resolve("seg").resolve(seg + ".seg")),
                "no node has seen both tombstones yet, so nobody may reclaim");
        FileBlobStore d = node(4, Clock.systemUTC());
        assertFalse(d.exists(one) || d.exists(two));
        assertFalse(Files.exists(shared.resolve("seg").resolve(seg + ".seg")),
                "a node that reads all tombstones of a sealed segment reclaims it");
    }

    private static Set<String> listedIds(FileBlobStore store) throws IOException {
        Set<String> ids = new HashSet<>();
        store.list(Instant.now().plusSeconds(3600), b -> assertTrue(ids.add(b.ref().id()), "listed twice: " + b.ref().id()));
        return ids;
    }

    @Test
    void everyNodeListsTheBlobsOfAllNodesWithoutUnmarkingALiveSegment() throws Exception {
        FileBlobStore gone = node(5, Clock.systemUTC());
        BlobRef sealedBlob = put(gone, "in a segment its node sealed");
        gone.close();
        FileBlobStore a = node(1, Clock.systemUTC());
        FileBlobStore b = node(2, Clock.systemUTC());
        BlobRef aSmall = put(a, "packed by a");
        BlobRef aLarge = put(a, "x".repeat(FileBlobStore.DEFAULT_PACK_THRESHOLD + 1));
        BlobRef bSmall = put(b, "packed by b");
        long aSegment = PackedId.parse(aSmall.id()).segment();
        Set<String> all = Set.of(sealedBlob.id(), aSmall.id(), aLarge.id(), bSmall.id());

        assertEquals(all, listedIds(a));
        assertEquals(all, listedIds(b), "b reads a's live segment through a's own reader, so a keeps its lock");
        assertEquals(List.of("packed by a"), probe(3, aSmall));
        assertFalse(Files.exists(shared.resolve("seg").resolve(aSegment + ".idx")),
                "a node process starting up sealed the segment a is still writing");

        List<BlobRef> fromB = new ArrayList<>();
        b.list(Instant.now().plusSeconds(3600), s -> fromB.add(s.ref()));
        for (BlobRef ref : fromB) {
            if (!ref.id().equals(bSmall.id())) {
                b.delete(ref);
            }
        }
        assertEquals(Set.of(bSmall.id()), listedIds(a), "a sees the tombstones b wrote");
        assertEquals(Set.of(bSmall.id()), listedIds(b));
        assertFalse(b.exists(aSmall) || b.exists(aLarge) || b.exists(sealedBlob));
    }
}
