package io.mailfleet.persistence.blob;

import io.mailfleet.core.files.PrivateFiles;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Collects a blob's bytes, hashing them on the way: in memory while the blob is at most
 * {@code packThreshold} bytes (the committer packs it into a segment), in a temp file once it grows
 * beyond (the committer publishes the file). A negative threshold writes every blob to a file.
 */
final class FileBlobWriter implements BlobWriter {

    private enum State { OPEN, COMMITTING, FINISHED }

    /** The smallest buffer: a message usually arrives in one write, and the first takes exactly its size. */
    private static final int INITIAL_BUFFER = 1024;

    private final String id;
    private final Path temp;
    private final Path target;
    private final long packThreshold;
    private final MessageDigest digest;
    private final GroupCommitter committer;
    /** The bytes while in memory; after a packed commit still the committer's, which only reads them. */
    private byte[] buffer = new byte[0];
    private FileChannel channel;
    private long size;
    private State state = State.OPEN;

    FileBlobWriter(String id, Path temp, Path target, long packThreshold, GroupCommitter committer) throws IOException {
        this.id = id;
        this.temp = temp;
        this.target = target;
        this.packThreshold = packThreshold;
        this.committer = committer;
        this.digest = FileBlobStore.sha256();
        if (packThreshold < 0) {
            spill();
        }
    }

    /** The id the blob gets if it is stored as a file; a packed blob gets its id at commit. */
    String id() {
        return id;
    }

    boolean spilled() {
        return channel != null;
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
        if (state != State.OPEN) {
            throw new IllegalStateException("blob " + id + " is " + (state == State.COMMITTING ? "committed" : "aborted")
                    + " and takes no more bytes");
        }
        int n = bytes.remaining();
        if (channel == null && size + n > packThreshold) {
            spill();
        }
        digest.update(bytes.duplicate());
        if (channel == null) {
            ensureCapacity((int) size + n);
            bytes.get(buffer, (int) size, n);
            size += n;
            return;
        }
        while (bytes.hasRemaining()) {
            size += channel.write(bytes);
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public CompletionStage<BlobRef> commit() {
        if (state != State.OPEN) {
            return CompletableFuture.failedFuture(new IllegalStateException("blob " + id + " was already "
                    + (state == State.COMMITTING ? "committed" : "aborted")));
        }
        String sha256 = HexFormat.of().formatHex(digest.digest());
        if (channel == null && size == 0) {
            // an empty blob has no bytes to pack, and a tombstone could not cover it: store it as a file
            try {
                spill();
            } catch (IOException e) {
                abort();
                return CompletableFuture.failedFuture(e);
            }
        }
        state = State.COMMITTING;
        if (channel == null) {
            return committer.submit(new PendingCommit.Packed(buffer, (int) size, sha256, id, new CompletableFuture<>()));
        }
        BlobRef ref = new BlobRef(id, size, sha256);
        return committer.submit(new PendingCommit.Spilled(channel, temp, target, ref, new CompletableFuture<>()));
    }

    @Override
    public Optional<InputStream> committedBytes() {
        return state == State.COMMITTING && channel == null
                ? Optional.of(new ByteArrayInputStream(buffer, 0, (int) size)) : Optional.empty();
    }

    /** Once commit() was called the committer owns the bytes, so aborting is then a no-op. */
    @Override
    public void abort() {
        if (state != State.OPEN) {
            return;
        }
        state = State.FINISHED;
        buffer = null;
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // the file is deleted next; nothing else to release
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // a left-over temp file is never visible and is reclaimed by the stale temp sweep
        }
    }

    @Override
    public void close() {
        abort();
    }

    private void spill() throws IOException {
        channel = PrivateFiles.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ByteBuffer held = ByteBuffer.wrap(buffer, 0, (int) size);
        while (held.hasRemaining()) {
            channel.write(held);
        }
        buffer = null;
    }

    private void ensureCapacity(int needed) {
        if (needed > buffer.length) {
            int grown = (int) Math.min(packThreshold, Math.max(needed, Math.max(INITIAL_BUFFER, buffer.length * 2L)));
            buffer = Arrays.copyOf(buffer, grown);
        }
    }
}
