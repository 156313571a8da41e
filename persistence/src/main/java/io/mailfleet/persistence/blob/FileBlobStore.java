package io.mailfleet.persistence.blob;

import io.mailfleet.core.files.PrivateFiles;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.blob.StoredBlob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Blob store on a local filesystem, written by one process at a time.
 *
 * <p>Small blobs (1 byte up to {@link #DEFAULT_PACK_THRESHOLD}) stay in the writer's memory and
 * are packed by the group committer into append-only segment files {@code <root>/seg/<segment>.seg}:
 * all blobs of a batch cost one {@code force} together. Their ids read {@code p<segment>-<offset>}.
 * The segment being written is rolled over once it would exceed {@link #DEFAULT_SEGMENT_BYTES}
 * (creating a segment fsyncs the {@code seg} directory once), and after a restart a new segment is
 * always started, so the torn tail of a crash is never appended to (see {@link SegmentStore}).
 *
 * <p>Larger blobs (and empty ones) are spilled to {@code <root>/tmp/} and live in
 * {@code <root>/<aa>/<bb>/<id>}: the committer fsyncs the file, renames it atomically into place and
 * fsyncs its directory, in the same batch as the packed ones.
 *
 * <p>Reclaiming space: deleting a file blob removes the file. Deleting a packed blob appends an
 * "offset size" tombstone to {@code <segment>.del} (not fsynced: a lost tombstone only delays
 * reclaim); a segment that is no longer being written is deleted with its side files as soon as
 * tombstones cover all of its blob bytes. Deleting twice is harmless. A blob is visible
 * ({@link #exists}, {@link #open}) only once its batch is durable and until it is deleted.
 *
 * <p>{@link #list} walks both kinds for garbage collection: file blobs by their names, packed blobs
 * through the directory each batch carries (see {@link SegmentBatches}).
 *
 * <p>{@link #shared} opens the same layout for several nodes on one shared directory (NFS, CephFS,
 * a ReadWriteMany volume): file blobs already have random names; packed segments carry the
 * node's slot in their ids and are read by every node (see {@link SegmentStore}).
 */
public final class FileBlobStore implements BlobStore, AutoCloseable {

    /** Temp files older than this are left-overs of a crash and are removed on start. */
    public static final Duration DEFAULT_STALE_TEMP_AGE = Duration.ofHours(1);

    /** Blobs up to this many bytes are kept in memory and packed into segments. */
    public static final int DEFAULT_PACK_THRESHOLD = 256 * 1024;

    /** A segment is rolled over once it would grow beyond this. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private final Path root;
    private final Path tmp;
    private final Clock clock;
    private final GroupCommitter committer;
    private final SegmentStore segments;
    private final long packThreshold;

    /** Opens (creating if needed) a store rooted at {@code root}. */
    public FileBlobStore(Path root) throws IOException {
        this(root, DEFAULT_STALE_TEMP_AGE, Clock.systemUTC(), GroupCommitter.daemon("mailfleet-blob-committer"),
                ForkJoinPool.commonPool());
    }

    /**
     * Opens a store on a directory shared with other nodes, each writing with its own
     * {@code nodeSlot} (0..999; nodes with equal slots still never share a segment file, the slot
     * only keeps their segment ids apart).
     */
    public static FileBlobStore shared(Path root, int nodeSlot) throws IOException {
        return new FileBlobStore(root, DEFAULT_STALE_TEMP_AGE, Clock.systemUTC(),
                GroupCommitter.daemon("mailfleet-blob-committer"), ForkJoinPool.commonPool(),
                DEFAULT_PACK_THRESHOLD, DEFAULT_SEGMENT_BYTES, nodeSlot);
    }

    FileBlobStore(Path root, Duration staleTempAge, Clock clock, ThreadFactory committerThread,
                  Executor completions) throws IOException {
        this(root, staleTempAge, clock, committerThread, completions, DEFAULT_PACK_THRESHOLD, DEFAULT_SEGMENT_BYTES);
    }

    /**
     * @param packThreshold blobs up to this size are packed into segments; negative: every blob is a file
     * @param segmentBytes  size at which the segment being written is rolled over
     */
    FileBlobStore(Path root, Duration staleTempAge, Clock clock, ThreadFactory committerThread,
                  Executor completions, long packThreshold, long segmentBytes) throws IOException {
        this(root, staleTempAge, clock, committerThread, completions, packThreshold, segmentBytes, -1);
    }

    /** @param nodeSlot -1 for a store of one process, 0..999 for a node of a shared store */
    FileBlobStore(Path root, Duration staleTempAge, Clock clock, ThreadFactory committerThread,
                  Executor completions, long packThreshold, long segmentBytes, int nodeSlot) throws IOException {
        if (packThreshold >= segmentBytes - SegmentBatches.overhead(1) || packThreshold > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("pack threshold " + packThreshold + " must be below the segment size "
                    + segmentBytes + " minus " + SegmentBatches.overhead(1) + " bytes of batch header and directory,"
                    + " and below 2 GiB");
        }
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve("tmp");
        this.clock = clock;
        this.packThreshold = packThreshold;
        PrivateFiles.createDirectories(tmp);
        removeStaleTempFiles(staleTempAge);
        this.segments = new SegmentStore(this.root.resolve("seg"), segmentBytes, clock::millis, nodeSlot);
        int forceThreads = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors() * 2));
        this.committer = new GroupCommitter(this.root, segments, forceThreads, committerThread, completions);
    }

    public Path root() {
        return root;
    }

    @Override
    public BlobWriter create() throws IOException {
        String id = BlobIds.next(clock.millis());
        return new FileBlobWriter(id, tmp.resolve(id + ".tmp"), pathOf(id), packThreshold, committer);
    }

    @Override
    public InputStream open(BlobRef ref) throws IOException {
        checkRef(ref);
        PackedId packed = PackedId.parse(ref.id());
        if (packed != null) {
            return new VerifyingInputStream(segments.open(packed, ref, 0, ref.size()), ref);
        }
        return new VerifyingInputStream(newStream(ref, 0), ref);
    }

    @Override
    public InputStream openRange(BlobRef ref, long offset, long length) throws IOException {
        checkRef(ref);
        if (offset < 0 || length < 0 || offset > ref.size() - length) {
            throw new IllegalArgumentException("range offset " + offset + " length " + length
                    + " is outside blob " + ref.id() + " of size " + ref.size());
        }
        PackedId packed = PackedId.parse(ref.id());
        if (packed != null) {
            return segments.open(packed, ref, offset, length);
        }
        return new RangeInputStream(newStream(ref, offset), ref.id(), length);
    }

    @Override
    public boolean exists(BlobRef ref) {
        checkId(ref);
        PackedId packed = PackedId.parse(ref.id());
        return packed != null ? segments.holds(packed, ref.size()) : Files.isRegularFile(pathOf(ref.id()));
    }

    @Override
    public void delete(BlobRef ref) throws IOException {
        checkId(ref);
        PackedId packed = PackedId.parse(ref.id());
        if (packed == null) {
            Files.deleteIfExists(pathOf(ref.id()));
            return;
        }
        checkRef(ref);
        segments.delete(packed, ref);
    }

    /**
     * Lists blobs stored as files ({@code <aa>/<bb>/<id>}; temp files and names that are not blob ids
     * are skipped) and packed blobs (see {@link SegmentStore#list}); refs of file blobs carry no
     * SHA-256. A file blob's creation time is the latest of its id's time and its modification and
     * status-change times (the commit's rename sets the latter) plus {@link FileTimes#SLACK}.
     */
    @Override
    public void list(Instant before, Consumer<StoredBlob> sink) throws IOException {
        if (before == null || sink == null) {
            throw new IllegalArgumentException("listing blob store " + root + " needs a time and a sink");
        }
        Path seg = segments.directory();
        boolean unix = root.getFileSystem().supportedFileAttributeViews().contains("unix");
        for (Path first : directories(root)) {
            if (first.equals(tmp) || first.equals(seg)) {
                continue;
            }
            for (Path second : directories(first)) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(second)) {
                    for (Path file : files) {
                        listFile(file, unix, before, sink);
                    }
                } catch (NoSuchFileException e) {
                    // removed while listing: nothing in it
                } catch (IOException e) {
                    throw new IOException("cannot list blob store " + root + ": directory " + second
                            + " is unreadable: " + e.getMessage(), e);
                }
            }
        }
        segments.list(before, sink);
    }

    private void listFile(Path file, boolean unix, Instant before, Consumer<StoredBlob> sink) throws IOException {
        String id = file.getFileName().toString();
        if (!BlobIds.isValid(id) || !file.equals(pathOf(id))) {
            return;
        }
        long size;
        FileTime modified;
        FileTime changed = null;
        try {
            if (unix) {
                Map<String, Object> attrs = Files.readAttributes(file, "unix:isRegularFile,size,lastModifiedTime,ctime");
                if (!Boolean.TRUE.equals(attrs.get("isRegularFile"))) {
                    return;
                }
                size = (Long) attrs.get("size");
                modified = (FileTime) attrs.get("lastModifiedTime");
                changed = (FileTime) attrs.get("ctime");
            } else {
                BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
                if (!attrs.isRegularFile()) {
                    return;
                }
                size = attrs.size();
                modified = attrs.lastModifiedTime();
            }
        } catch (NoSuchFileException e) {
            return; // deleted while listing
        } catch (IOException e) {
            throw new IOException("cannot list blob store " + root + ": blob file " + file + " is unreadable: "
                    + e.getMessage(), e);
        }
        Instant created = FileTimes.upperBound(Instant.ofEpochMilli(BlobIds.epochMillis(id)), modified, changed);
        if (created.isBefore(before)) {
            sink.accept(new StoredBlob(new BlobRef(id, size, null), created));
        }
    }

    /** The subdirectories of a level of the blob tree, whose names are two id characters. */
    private List<Path> directories(Path parent) throws IOException {
        List<Path> result = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
            for (Path p : entries) {
                if (p.getFileName().toString().matches("[0-9a-v]{2}") && Files.isDirectory(p)) {
                    result.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            if (!parent.equals(root)) {
                return result;
            }
            throw new IOException("cannot list blob store " + root + ": it does not exist", e);
        } catch (IOException e) {
            throw new IOException("cannot list blob store " + root + ": directory " + parent + " is unreadable: "
                    + e.getMessage(), e);
        }
        return result;
    }

    /**
     * Bytes held by committed, undeleted blobs (packed ones count their own bytes, not their
     * segment's); walks the tree, so meant for metrics and tests, not hot paths.
     */
    public long usedBytes() {
        Path seg = segments.directory();
        try (Stream<Path> files = Files.walk(root)) {
            return segments.liveBytes() + files.filter(p -> !p.startsWith(tmp) && !p.startsWith(seg))
                    .filter(Files::isRegularFile)
                    .mapToLong(FileBlobStore::sizeOrZero)
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure blob store " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies every committed blob of this store (single files, segments with their index and
     * tombstone files; not {@code tmp/}) under {@code target}, in the store's own layout, while the
     * store keeps running; returns {files, bytes}. A segment being appended to is copied as far as it
     * was written, which a store opening the copy reads like a crash's torn tail. Segment files are read
     * through the writer's own descriptor where this JVM writes them (closing another descriptor of a
     * locked file would drop the lock).
     */
    public long[] copyTo(Path target) throws IOException {
        long[] counts = {0, 0};
        Path seg = segments.directory();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.startsWith(tmp)) {
                    continue;
                }
                Path dest = target.resolve(root.relativize(p).toString());
                try {
                    if (Files.isDirectory(p)) {
                        PrivateFiles.createDirectories(dest);
                    } else if (Files.isRegularFile(p)) {
                        PrivateFiles.createDirectories(dest.getParent());
                        try (InputStream in = p.startsWith(seg) ? segments.openForCopy(p) : Files.newInputStream(p)) {
                            counts[1] += PrivateFiles.copy(in, dest);
                        }
                        counts[0]++;
                    }
                } catch (java.nio.file.NoSuchFileException gone) {
                    // reclaimed or renamed while walking: not a committed blob any more
                }
            }
        } catch (UncheckedIOException e) {
            throw new IOException("cannot copy blob store " + root + ": " + e.getCause().getMessage(), e.getCause());
        }
        return counts;
    }

    public CommitStats commitStats() {
        return committer.stats();
    }

    /** Finishes the commits already submitted and stops the committer; later commits fail. */
    @Override
    public void close() {
        committer.close();
    }

    Path pathOf(String id) {
        String[] dirs = BlobIds.directories(id);
        return root.resolve(dirs[0]).resolve(dirs[1]).resolve(id);
    }

    Path segmentPath(long segment) {
        return segments.segmentFile(segment);
    }

    /** Id of the segment small blobs are appended to now, or -1 if none was started yet. */
    long currentSegment() {
        return segments.currentSegment();
    }

    Path tempDirectory() {
        return tmp;
    }

    /** A prototype cloned per use: cheaper than a provider lookup for every blob written or read. */
    private static final MessageDigest SHA256_PROTOTYPE = lookupSha256();

    static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return lookupSha256();
        }
    }

    private static MessageDigest lookupSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }

    private InputStream newStream(BlobRef ref, long offset) throws IOException {
        Path path = pathOf(ref.id());
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "blob " + ref.id() + " does not exist");
        }
        if (offset > 0) {
            channel.position(offset);
        }
        return Channels.newInputStream(channel);
    }

    private void removeStaleTempFiles(Duration staleAge) throws IOException {
        Instant cutoff = clock.instant().minus(staleAge);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
            for (Path entry : entries) {
                BasicFileAttributes attrs = Files.readAttributes(entry, BasicFileAttributes.class);
                if (attrs.isRegularFile() && attrs.lastModifiedTime().toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(entry);
                }
            }
        }
    }

    private static void checkRef(BlobRef ref) {
        checkId(ref);
        if (ref.size() < 0) {
            throw new IllegalArgumentException("blob " + ref.id() + " has a negative size " + ref.size());
        }
        if (ref.sha256() == null || !SHA256.matcher(ref.sha256()).matches()) {
            throw new IllegalArgumentException("blob " + ref.id() + " has an invalid SHA-256 '" + ref.sha256()
                    + "' (expected 64 hex digits)");
        }
    }

    private static void checkId(BlobRef ref) {
        if (ref == null) {
            throw new IllegalArgumentException("blob ref is null");
        }
        if (!BlobIds.isValid(ref.id()) && PackedId.parse(ref.id()) == null) {
            throw new IllegalArgumentException("'" + ref.id() + "' is not a blob id (expected "
                    + BlobIds.LENGTH + " characters of 0-9a-v, or p<segment>-<offset>)");
        }
    }

    private static long sizeOrZero(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
