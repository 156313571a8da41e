package io.mailfleet.persistence.blob;

import io.mailfleet.core.files.PrivateFiles;
import io.mailfleet.core.blob.BlobCorruptedException;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.StoredBlob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Packs small blobs into append-only segment files {@code <dir>/<segment>.seg} so that one
 * {@code force} makes a whole batch durable.
 *
 * <p>Each batch is written as a 24-byte header (magic, payload length, CRC32C of the payload,
 * CRC32C of the header) followed by the blobs' bytes back to back and a directory of their sizes and
 * SHA-256 hashes (see {@link SegmentBatches}); a blob's id names the segment and the offset of its
 * first byte. Only the committer thread appends, and only to a segment this
 * process created: after a restart a new segment is started, so a torn tail left by a crash is
 * never appended to nor mistaken for data.
 *
 * <p>How far a segment is durable: while it is written, the end of the last forced batch (kept in
 * memory). When it is sealed (rolled over at {@code maxSegmentBytes} or closed) that end is written
 * to {@code <segment>.idx}. A segment without a readable idx (the process died while it was
 * current) is scanned once on start: batches whose header and payload checksums hold are durable,
 * everything from the first bad batch on is a torn tail and stays invisible.
 *
 * <p>Reclaim rule: deleting a packed blob appends "offset size" to {@code <segment>.del} without an
 * fsync (a lost tombstone only delays reclaim) after checking the range holds the blob's SHA-256.
 * When a segment that is not the one being written has tombstones covering all its blob bytes,
 * the segment and its side files are deleted: at that moment, when it is sealed, or on start.
 *
 * <p>Shared mode (several nodes on one directory, {@code nodeSlot >= 0}): segment ids end in the
 * node's slot ({@code id % 1000}) and are created with {@code CREATE_NEW}, so two nodes never
 * append to one file; the writer holds an exclusive file lock on the segment it writes. Segments
 * of other nodes are discovered when a blob in them is first read: a sealed one (idx present) is
 * known exactly, one still being written is "provisional" (durable at least up to its current
 * file size, since a ref is only handed out after its batch was forced) and never reclaimed from
 * here. On start, a segment without idx is only scanned and sealed when no live writer holds its
 * lock. Closing any descriptor of a file drops the locks its process holds on it, so the writer never
 * opens a second one on its own segment: it reads its own blobs there through {@link OwnSegment}.
 * Tombstones are appended to the shared {@code .del}; each node reclaims a sealed segment
 * once the tombstones it knows of cover it, which can only be later than with all of them.
 */
final class SegmentStore implements AutoCloseable {

    static final int HEADER = SegmentBatches.HEADER;
    /** In shared mode a segment id is {@code millis * NODE_SLOTS + slot}. */
    static final int NODE_SLOTS = 1000;
    private static final int CREATE_ATTEMPTS = 100;
    private static final Logger LOG = Logger.getLogger(SegmentStore.class.getName());
    private static final Pattern SEG_FILE = Pattern.compile("([0-9]{1,18})\\.(seg|idx|del)");
    private static final Pattern IDX = Pattern.compile("segment ([0-9]+) end ([0-9]+) payload ([0-9]+)\n");
    /**
     * Segment files some store of this JVM is writing, with their shared reader: probing one for its
     * lock, or reading it through a descriptor of one's own, would open and close a descriptor of it,
     * which drops the writer's lock for every other process (several stores share a JVM in tests and
     * tools).
     */
    private static final ConcurrentHashMap<Path, OwnSegment> WRITTEN_IN_THIS_JVM = new ConcurrentHashMap<>();

    /** Blobs of the batch committed in order; those after {@code refs.size()} failed with {@code failure}. */
    record Appended(List<BlobRef> refs, IOException failure) {
    }

    private final Path dir;
    private final long maxSegmentBytes;
    private final LongSupplier clockMillis;
    private final int nodeSlot;
    private final ConcurrentHashMap<Long, Segment> segments = new ConcurrentHashMap<>();
    private final AtomicLong fileSyncs = new AtomicLong();
    private final AtomicLong directorySyncs = new AtomicLong();
    private volatile Segment current;
    private volatile OwnSegment own;
    private long end;
    private long lastId;

    SegmentStore(Path dir, long maxSegmentBytes, LongSupplier clockMillis) throws IOException {
        this(dir, maxSegmentBytes, clockMillis, -1);
    }

    /** @param nodeSlot -1: this process is the only writer; 0..999: shared mode, this node's slot */
    SegmentStore(Path dir, long maxSegmentBytes, LongSupplier clockMillis, int nodeSlot) throws IOException {
        if (maxSegmentBytes <= HEADER) {
            throw new IllegalArgumentException("segment size " + maxSegmentBytes + " must exceed " + HEADER + " bytes");
        }
        if (nodeSlot < -1 || nodeSlot >= NODE_SLOTS) {
            throw new IllegalArgumentException("node slot " + nodeSlot + " must be -1 (not shared) or 0.." + (NODE_SLOTS - 1));
        }
        this.dir = dir;
        this.maxSegmentBytes = maxSegmentBytes;
        this.clockMillis = clockMillis;
        this.nodeSlot = nodeSlot;
        if (!Files.isDirectory(dir)) {
            PrivateFiles.createDirectories(dir);
            GroupCommitter.fsyncDirectory(dir.getParent());
        }
        load();
    }

    long fileSyncs() {
        return fileSyncs.get();
    }

    long directorySyncs() {
        return directorySyncs.get();
    }

    Path directory() {
        return dir;
    }

    Path segmentFile(long segment) {
        return dir.resolve(segment + ".seg");
    }

    /** Id of the segment being written, or -1 before the first packed commit of this process. */
    long currentSegment() {
        Segment s = current;
        return s == null ? -1 : s.id();
    }

    /** Appends the blobs, one batch header and one force per segment touched. Committer thread only. */
    Appended append(List<PendingCommit.Packed> batch) {
        List<BlobRef> refs = new ArrayList<>(batch.size());
        int i = 0;
        while (i < batch.size()) {
            try {
                if (current != null && end > 0 && end + SegmentBatches.batchBytes(1, batch.get(i).size()) > maxSegmentBytes) {
                    seal();
                }
                if (current == null) {
                    startSegment();
                }
                long payload = 0;
                int j = i;
                while (j < batch.size()
                        && (j == i || end + SegmentBatches.batchBytes(j - i + 1, payload + batch.get(j).size())
                        <= maxSegmentBytes)) {
                    payload += batch.get(j).size();
                    j++;
                }
                writeBatch(batch.subList(i, j), payload, refs);
                i = j;
            } catch (IOException | RuntimeException e) {
                long failed = currentSegment();
                abandonCurrent();
                return new Appended(refs, new IOException("cannot append " + (batch.size() - refs.size())
                        + " blobs to segment " + failed + ": " + e.getMessage(), e));
            }
        }
        return new Appended(refs, null);
    }

    boolean holds(PackedId id, long size) {
        Segment s = segments.get(id.segment());
        if (s != null && s.holds(id.offset(), size)) {
            return true;
        }
        if (nodeSlot < 0 || s != null && !s.provisional()) {
            return false;
        }
        Segment seen = discover(id.segment());
        return seen != null && seen.holds(id.offset(), size);
    }

    /**
     * Shared mode: (re)reads what the shared directory says about another node's segment: exact when
     * sealed, provisional (file size) while being written. Null when the file does not exist.
     */
    private Segment discover(long id) {
        Path file = segmentFile(id);
        try {
            Segment s = sealedExtent(id);
            if (s == null) {
                s = new Segment(id, Files.size(file), 0, true);
            }
            loadTombstones(s);
            Segment seen = s;
            return segments.compute(id, (k, old) -> old == null || old.provisional() ? seen : old);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read blob segment " + file + ": " + e.getMessage());
            return null;
        }
    }

    /** The extent recorded in a segment's idx file, or null when it has none (or an unreadable one). */
    private Segment sealedExtent(long id) throws IOException {
        Path idx = dir.resolve(id + ".idx");
        if (!Files.isRegularFile(idx)) {
            return null;
        }
        String text;
        try {
            text = Files.readString(idx, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null;
        }
        Matcher m = IDX.matcher(text);
        if (m.matches() && Long.parseLong(m.group(1)) == id) {
            return new Segment(id, Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
        }
        return null;
    }

    /** A stream of {@code length} bytes from {@code from} within a committed packed blob. */
    InputStream open(PackedId id, BlobRef ref, long from, long length) throws IOException {
        Path file = segmentFile(id.segment());
        if (!holds(id, ref.size())) {
            throw new NoSuchFileException(file.toString(), null, "blob " + ref.id() + " does not exist");
        }
        OwnSegment writing = own;
        if (writing != null && writing.id() == id.segment()) {
            InputStream in = writing.openAt(id.offset() + from);
            if (in != null) {
                return new RangeInputStream(in, ref.id(), length);
            }
            // sealed meanwhile: the lock is gone already, a descriptor of our own is harmless now
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "blob " + ref.id() + " does not exist");
        }
        ch.position(id.offset() + from);
        return new RangeInputStream(Channels.newInputStream(ch), ref.id(), length);
    }

    /** Tombstones a committed blob and reclaims its segment once nothing in it is live. */
    void delete(PackedId id, BlobRef ref) throws IOException {
        if (!holds(id, ref.size())) {
            return;
        }
        Segment s = segments.get(id.segment());
        if (s == null) {
            return;
        }
        verifyContent(id, ref);
        synchronized (s) {
            Segment.Tombstone t = s.tombstone(id.offset(), ref.size());
            if (t == Segment.Tombstone.OVERLAPS) {
                throw new IllegalArgumentException("blob " + ref.id() + " of size " + ref.size()
                        + " overlaps a deleted range of segment " + s.id());
            }
            if (t == Segment.Tombstone.ADDED) {
                PrivateFiles.append(dir.resolve(s.id() + ".del"), id.offset() + " " + ref.size() + "\n");
            }
        }
        reclaimIfDead(s);
    }

    /** Blob bytes of packed blobs not yet deleted. */
    long liveBytes() {
        return segments.values().stream().mapToLong(Segment::liveBytes).sum();
    }

    /**
     * Calls {@code sink} for each committed, undeleted packed blob whose segment was last written
     * before {@code before} (rounded up, see {@link FileTimes}). Only durable extents are read: the
     * recorded end of a segment this node knows, else checksummed batches; a segment shorter than its
     * recorded end throws. Blobs of batches written without directory cannot be told apart and are
     * left out (logged).
     */
    void list(Instant before, Consumer<StoredBlob> sink) throws IOException {
        List<Long> ids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.seg")) {
            for (Path p : entries) {
                Matcher m = SEG_FILE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    ids.add(Long.parseLong(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw new IOException("cannot list blob segments in " + dir + ": " + e.getMessage(), e);
        }
        long undirected = 0;
        for (long id : ids) {
            try {
                undirected += listSegment(id, before, sink);
            } catch (NoSuchFileException e) {
                // reclaimed while listing: nothing in it is live
            } catch (BlobCorruptedException e) {
                BlobCorruptedException named = new BlobCorruptedException("cannot list blob segments in " + dir + ": "
                        + e.getMessage());
                named.initCause(e);
                throw named;
            } catch (IOException e) {
                throw new IOException("cannot list blob segment " + segmentFile(id) + ": " + e.getMessage(), e);
            }
        }
        if (undirected > 0) {
            LOG.warning(undirected + " batches of packed blobs in " + dir + " were written without a blob directory"
                    + " (before listing existed): their blobs are not listed, so garbage collection keeps them");
        }
    }

    /** Lists one segment; returns how many of its batches have no directory. */
    private long listSegment(long id, Instant before, Consumer<StoredBlob> sink) throws IOException {
        Segment known = segments.get(id);
        long extent;
        if (known != null && !known.provisional()) {
            extent = known.committedEnd();
        } else if (nodeSlot < 0) {
            return 0; // not written by this process nor loaded on start: reclaimed a moment ago
        } else {
            Segment sealed = sealedExtent(id);
            extent = sealed != null ? sealed.committedEnd() : -1;
        }
        boolean trusted = extent >= 0;
        List<SegmentBatches.Entry> found = new ArrayList<>();
        long[] undirected = {0};
        long end;
        try (InputStream in = readSegment(id)) {
            end = SegmentBatches.read(in, trusted ? extent : Long.MAX_VALUE, !trusted, (start, length, entries) -> {
                if (entries == null) {
                    undirected[0]++;
                } else {
                    found.addAll(entries);
                }
            });
        }
        if (trusted && end < extent) {
            throw new BlobCorruptedException("blob segment " + id + " is damaged: its batches end at byte " + end
                    + ", its durable extent at " + extent + "; blobs from there on cannot be listed");
        }
        // read after the content, so every blob listed was written before this time stamp
        FileTime modified = Files.getLastModifiedTime(segmentFile(id));
        Instant created = FileTimes.upperBound(Instant.ofEpochMilli(nodeSlot < 0 ? id : id / NODE_SLOTS), modified);
        if (!created.isBefore(before)) {
            return undirected[0];
        }
        Map<Long, Long> deleted = readTombstones(id);
        for (SegmentBatches.Entry e : found) {
            Long gone = deleted.get(e.offset());
            if (gone != null && gone == e.size() || known != null && !known.provisional() && !known.holds(e.offset(), e.size())) {
                continue;
            }
            sink.accept(new StoredBlob(new BlobRef(new PackedId(id, e.offset()).toString(), e.size(), e.sha256()), created));
        }
        return undirected[0];
    }

    /**
     * A stream of any file of this store's segment directory for copying it: segment files through
     * {@link #readSegment}, so a backup of a running node does not drop its writer's lock.
     */
    InputStream openForCopy(Path file) throws IOException {
        Matcher m = SEG_FILE.matcher(file.getFileName().toString());
        if (m.matches() && m.group(2).equals("seg")
                && file.toAbsolutePath().normalize().getParent().equals(dir.toAbsolutePath().normalize())) {
            return readSegment(Long.parseLong(m.group(1)));
        }
        return Files.newInputStream(file);
    }

    /** A stream of a segment from its start that never drops the lock of a writer in this JVM. */
    private InputStream readSegment(long id) throws IOException {
        Path file = segmentFile(id);
        OwnSegment writing = own;
        if (writing == null || writing.id() != id) {
            writing = WRITTEN_IN_THIS_JVM.get(file.toAbsolutePath());
        }
        if (writing != null) {
            InputStream in = writing.openAt(0);
            if (in != null) {
                return in;
            }
        }
        return Channels.newInputStream(FileChannel.open(file, StandardOpenOption.READ));
    }

    /** The ranges the segment's tombstone file names, as written (by any node) until now. */
    private Map<Long, Long> readTombstones(long id) throws IOException {
        Map<Long, Long> deleted = new HashMap<>();
        Path del = dir.resolve(id + ".del");
        String text;
        try {
            text = Files.readString(del, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return deleted;
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String[] parts = lines[i].split(" ");
            if (parts.length == 2 && parts[0].matches("[0-9]{1,18}") && parts[1].matches("[0-9]{1,18}")) {
                deleted.put(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
            }
        }
        return deleted;
    }

    /** Seals the current segment; call only after the committer stopped. */
    @Override
    public void close() {
        try {
            seal();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot seal blob segment: " + e.getMessage(), e);
        }
    }

    private void writeBatch(List<PendingCommit.Packed> blobs, long payload, List<BlobRef> refs) throws IOException {
        ByteBuffer[] buffers = SegmentBatches.encode(blobs, payload);
        long start = end;
        FileChannel channel = own.writer();
        channel.position(start);
        ByteBuffer last = buffers[buffers.length - 1];
        while (last.hasRemaining()) {
            channel.write(buffers);
        }
        channel.force(false);
        fileSyncs.incrementAndGet();
        end = start + SegmentBatches.batchBytes(blobs.size(), payload);
        long offset = start + HEADER;
        for (PendingCommit.Packed p : blobs) {
            refs.add(new BlobRef(new PackedId(current.id(), offset).toString(), p.size(), p.sha256()));
            offset += p.size();
        }
        current.committed(end, payload);
    }

    private void startSegment() throws IOException {
        long id = nextSegmentId(nodeSlot < 0 ? clockMillis.getAsLong() : clockMillis.getAsLong() * NODE_SLOTS + nodeSlot);
        FileChannel ch = null;
        OwnSegment opened = null;
        for (int attempt = 1; ch == null; attempt++) {
            try {
                ch = PrivateFiles.open(segmentFile(id), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another node of a shared store (or a clock step back) took this id
                if (attempt == CREATE_ATTEMPTS) {
                    throw e;
                }
                lastId = Math.max(lastId, id);
                id = nextSegmentId(id + 1);
            }
        }
        try {
            if (nodeSlot >= 0) {
                // held until the segment is sealed: tells other nodes starting up that it is live
                ch.lock();
            }
            opened = new OwnSegment(id, ch, segmentFile(id));
            WRITTEN_IN_THIS_JVM.put(segmentFile(id).toAbsolutePath(), opened);
            GroupCommitter.fsyncDirectory(dir);
            directorySyncs.incrementAndGet();
        } catch (IOException e) {
            if (opened != null) {
                opened.release();
            } else {
                ch.close();
            }
            WRITTEN_IN_THIS_JVM.remove(segmentFile(id).toAbsolutePath());
            Files.deleteIfExists(segmentFile(id));
            throw e;
        }
        lastId = id;
        own = opened;
        end = 0;
        Segment s = new Segment(id, 0, 0);
        segments.put(id, s);
        current = s;
    }

    /** The smallest id from {@code candidate} on that is above every known id and carries this node's slot. */
    private long nextSegmentId(long candidate) {
        long id = Math.max(candidate, lastId + 1);
        if (nodeSlot >= 0) {
            long rem = Math.floorMod(id - nodeSlot, (long) NODE_SLOTS);
            id = rem == 0 ? id : id + NODE_SLOTS - rem;
        }
        return id;
    }

    private void seal() throws IOException {
        Segment s = current;
        if (s == null) {
            return;
        }
        current = null;
        OwnSegment writing = own;
        own = null;
        // the idx goes first: in shared mode closing releases the lock that marks the segment live
        try {
            writeIdx(s);
        } finally {
            try {
                writing.release();
            } finally {
                WRITTEN_IN_THIS_JVM.remove(segmentFile(s.id()).toAbsolutePath());
                reclaimIfDead(s);
            }
        }
    }

    /** After a failed write or force nothing beyond the last good batch can be trusted: stop using it. */
    private void abandonCurrent() {
        try {
            seal();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot seal blob segment after a failure: " + e.getMessage(), e);
        }
    }

    private void writeIdx(Segment s) throws IOException {
        PrivateFiles.write(dir.resolve(s.id() + ".idx"),
                "segment " + s.id() + " end " + s.committedEnd() + " payload " + s.payloadBytes() + "\n");
    }

    private void reclaimIfDead(Segment s) {
        if (s == current || !s.reclaimable()) {
            return;
        }
        synchronized (s) {
            if (!s.markReclaimed()) {
                return;
            }
            segments.remove(s.id());
            // the data file goes first: side files without a segment are swept on start
            for (String ext : new String[] {".seg", ".idx", ".del"}) {
                try {
                    Files.deleteIfExists(dir.resolve(s.id() + ext));
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "cannot delete reclaimed segment file " + s.id() + ext + ": " + e.getMessage());
                }
            }
        }
    }

    private void verifyContent(PackedId id, BlobRef ref) throws IOException {
        MessageDigest digest = FileBlobStore.sha256();
        try (InputStream in = open(id, ref, 0, ref.size())) {
            byte[] buf = new byte[(int) Math.min(64 * 1024, Math.max(1, ref.size()))];
            int n;
            while ((n = in.read(buf)) >= 0) {
                digest.update(buf, 0, n);
            }
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equalsIgnoreCase(ref.sha256())) {
            throw new BlobCorruptedException("blob " + ref.id() + " was not deleted: its stored bytes have SHA-256 "
                    + actual + ", not the recorded " + ref.sha256());
        }
    }

    private void load() throws IOException {
        Set<Long> data = new HashSet<>();
        Set<Path> side = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                Matcher m = SEG_FILE.matcher(p.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                if (m.group(2).equals("seg")) {
                    data.add(Long.parseLong(m.group(1)));
                } else {
                    side.add(p);
                }
            }
        }
        for (Path p : side) {
            Matcher m = SEG_FILE.matcher(p.getFileName().toString());
            if (m.matches() && !data.contains(Long.parseLong(m.group(1)))) {
                Files.deleteIfExists(p);
            }
        }
        for (long id : data) {
            lastId = Math.max(lastId, id);
            Segment s = nodeSlot >= 0 && sealedExtent(id) == null && writtenByLiveNode(id)
                    ? new Segment(id, Files.size(segmentFile(id)), 0, true)
                    : readExtent(id);
            loadTombstones(s);
            segments.put(id, s);
            reclaimIfDead(s);
        }
    }

    /**
     * Shared mode: whether another node still writes a segment without idx. Its writer holds an
     * exclusive lock; an empty file may be one created a moment ago whose lock is not taken yet
     * (an empty segment holds no blob, so leaving it alone costs nothing).
     */
    private boolean writtenByLiveNode(long id) throws IOException {
        if (WRITTEN_IN_THIS_JVM.containsKey(segmentFile(id).toAbsolutePath())) {
            return true;
        }
        try (FileChannel ch = FileChannel.open(segmentFile(id), StandardOpenOption.READ)) {
            if (ch.size() == 0) {
                return true;
            }
            try (java.nio.channels.FileLock lock = ch.tryLock(0, Long.MAX_VALUE, true)) {
                return lock == null;
            } catch (java.nio.channels.OverlappingFileLockException e) {
                return true; // a store in this very JVM writes it
            }
        }
    }

    private Segment readExtent(long id) throws IOException {
        Segment sealed = sealedExtent(id);
        if (sealed != null) {
            return sealed;
        }
        Segment s = scan(id);
        writeIdx(s);
        return s;
    }

    /** Finds the durable extent of a segment the process died writing: whole, checksummed batches. */
    private Segment scan(long id) throws IOException {
        try (FileChannel ch = FileChannel.open(segmentFile(id), StandardOpenOption.READ)) {
            long size = ch.size();
            long[] payload = {0};
            long pos = SegmentBatches.read(Channels.newInputStream(ch), size, true,
                    (start, length, entries) -> payload[0] += length);
            if (pos < size) {
                LOG.warning("blob segment " + id + " ends in " + (size - pos)
                        + " bytes of an interrupted batch; they are ignored");
            }
            return new Segment(id, pos, payload[0]);
        }
    }

    private void loadTombstones(Segment s) throws IOException {
        Path del = dir.resolve(s.id() + ".del");
        if (!Files.isRegularFile(del)) {
            return;
        }
        String[] lines = Files.readString(del, StandardCharsets.US_ASCII).split("\n", -1);
        // the last element follows the last newline: empty, or a line a crash cut short (dropped,
        // which only delays reclaim)
        for (int i = 0; i < lines.length - 1; i++) {
            String[] parts = lines[i].split(" ");
            if (parts.length == 2 && parts[0].matches("[0-9]{1,18}") && parts[1].matches("[0-9]{1,18}")) {
                s.tombstone(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
            }
        }
    }
}
