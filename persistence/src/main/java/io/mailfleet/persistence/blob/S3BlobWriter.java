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

/** Spools a blob (memory, then a temp file), hashing it, and PUTs it to S3 on commit. */
final class S3BlobWriter implements BlobWriter {

    private final String id;
    private final Path spoolDir;
    private final S3BlobStore store;
    private final MessageDigest digest = FileBlobStore.sha256();
    private byte[] buffer = new byte[8 * 1024];
    private Path file;
    private FileChannel channel;
    private long size;
    private boolean committing;
    private boolean finished;

    S3BlobWriter(String id, Path spoolDir, S3BlobStore store) {
        this.id = id;
        this.spoolDir = spoolDir;
        this.store = store;
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
        if (committing || finished) {
            throw new IllegalStateException("blob " + id + " is already committed or aborted");
        }
        int n = bytes.remaining();
        digest.update(bytes.duplicate());
        if (channel == null && size + n > S3BlobStore.MEMORY_SPOOL_BYTES) {
            file = spoolDir.resolve(id + ".s3tmp");
            channel = PrivateFiles.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            channel.write(ByteBuffer.wrap(buffer, 0, (int) size));
            buffer = null;
        }
        if (channel != null) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } else {
            if (size + n > buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(S3BlobStore.MEMORY_SPOOL_BYTES,
                        Math.max(size + n, buffer.length * 2L)));
            }
            bytes.get(buffer, (int) size, n);
        }
        size += n;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public CompletionStage<BlobRef> commit() {
        if (committing || finished) {
            return CompletableFuture.failedFuture(new IllegalStateException("blob " + id + " is already committed or aborted"));
        }
        committing = true;
        String sha = HexFormat.of().formatHex(digest.digest());
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            abort();
            return CompletableFuture.failedFuture(e);
        }
        return store.put(id, size, sha, buffer, file)
                .thenApply(v -> new BlobRef(id, size, sha))
                .whenComplete((ref, error) -> {
                    finished = true;
                    removeSpool();
                });
    }

    /** A blob small enough to stay in memory was uploaded from this buffer, which nothing changes after. */
    @Override
    public Optional<InputStream> committedBytes() {
        byte[] bytes = buffer;
        return committing && file == null && bytes != null
                ? Optional.of(new ByteArrayInputStream(bytes, 0, (int) size)) : Optional.empty();
    }

    @Override
    public void abort() {
        if (finished) {
            return;
        }
        finished = true;
        buffer = null;
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // the spool file is removed below either way
        }
        if (!committing) {
            removeSpool();
        }
    }

    @Override
    public void close() {
        if (!committing) {
            abort();
        }
    }

    private void removeSpool() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a stale spool file is harmless; the next start of the directory owner may remove it
            }
        }
    }
}
