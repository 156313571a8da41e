package io.mailfleet.persistence.blob;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Streams bytes into a temp file, hashing them on the way; the group committer publishes the file. */
final class FileBlobWriter implements BlobWriter {

    private enum State { OPEN, COMMITTING, FINISHED }

    private final String id;
    private final Path temp;
    private final Path target;
    private final FileChannel channel;
    private final MessageDigest digest;
    private final GroupCommitter committer;
    private long size;
    private State state = State.OPEN;

    FileBlobWriter(String id, Path temp, Path target, FileChannel channel, GroupCommitter committer) {
        this.id = id;
        this.temp = temp;
        this.target = target;
        this.channel = channel;
        this.committer = committer;
        this.digest = FileBlobStore.sha256();
    }

    String id() {
        return id;
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
        if (state != State.OPEN) {
            throw new IllegalStateException("blob " + id + " is " + (state == State.COMMITTING ? "committed" : "aborted")
                    + " and takes no more bytes");
        }
        digest.update(bytes.duplicate());
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
        state = State.COMMITTING;
        BlobRef ref = new BlobRef(id, size, HexFormat.of().formatHex(digest.digest()));
        return committer.submit(new PendingCommit(channel, temp, target, ref, new CompletableFuture<>()));
    }

    /** Once commit() was called the committer owns the file, so aborting is then a no-op. */
    @Override
    public void abort() {
        if (state != State.OPEN) {
            return;
        }
        state = State.FINISHED;
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
}
