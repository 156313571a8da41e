package io.mailfleet.persistence.blob;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.blob.BlobWriter;

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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadFactory;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Blob store on a local (or shared) filesystem: blobs live in {@code <root>/<aa>/<bb>/<id>}, are
 * written to {@code <root>/tmp/} first and become visible only after a group commit has fsynced the
 * file, renamed it atomically into place and fsynced its directory.
 */
public final class FileBlobStore implements BlobStore, AutoCloseable {

    /** Temp files older than this are left-overs of a crash and are removed on start. */
    public static final Duration DEFAULT_STALE_TEMP_AGE = Duration.ofHours(1);

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private final Path root;
    private final Path tmp;
    private final Clock clock;
    private final GroupCommitter committer;

    /** Opens (creating if needed) a store rooted at {@code root}. */
    public FileBlobStore(Path root) throws IOException {
        this(root, DEFAULT_STALE_TEMP_AGE, Clock.systemUTC(), GroupCommitter.daemon("mailfleet-blob-committer"),
                ForkJoinPool.commonPool());
    }

    FileBlobStore(Path root, Duration staleTempAge, Clock clock, ThreadFactory committerThread,
                  Executor completions) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve("tmp");
        this.clock = clock;
        Files.createDirectories(tmp);
        removeStaleTempFiles(staleTempAge);
        int forceThreads = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors() * 2));
        this.committer = new GroupCommitter(this.root, forceThreads, committerThread, completions);
    }

    public Path root() {
        return root;
    }

    @Override
    public BlobWriter create() throws IOException {
        String id = BlobIds.next(clock.millis());
        Path temp = tmp.resolve(id + ".tmp");
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new FileBlobWriter(id, temp, pathOf(id), channel, committer);
    }

    @Override
    public InputStream open(BlobRef ref) throws IOException {
        checkRef(ref);
        return new VerifyingInputStream(newStream(ref, 0), ref);
    }

    @Override
    public InputStream openRange(BlobRef ref, long offset, long length) throws IOException {
        checkRef(ref);
        if (offset < 0 || length < 0 || offset > ref.size() - length) {
            throw new IllegalArgumentException("range offset " + offset + " length " + length
                    + " is outside blob " + ref.id() + " of size " + ref.size());
        }
        return new RangeInputStream(newStream(ref, offset), ref.id(), length);
    }

    @Override
    public boolean exists(BlobRef ref) {
        checkId(ref);
        return Files.isRegularFile(pathOf(ref.id()));
    }

    @Override
    public void delete(BlobRef ref) throws IOException {
        checkId(ref);
        Files.deleteIfExists(pathOf(ref.id()));
    }

    /** Bytes held by committed blobs; walks the tree, so meant for metrics and tests, not hot paths. */
    public long usedBytes() {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> !p.startsWith(tmp))
                    .filter(Files::isRegularFile)
                    .mapToLong(FileBlobStore::sizeOrZero)
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure blob store " + root + ": " + e.getMessage(), e);
        }
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

    Path tempDirectory() {
        return tmp;
    }

    static MessageDigest sha256() {
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
        if (!BlobIds.isValid(ref.id())) {
            throw new IllegalArgumentException("'" + ref.id() + "' is not a blob id (expected "
                    + BlobIds.LENGTH + " characters of 0-9a-v)");
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
