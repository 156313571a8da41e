package io.mailfleet.persistence.blob;

import io.mailfleet.core.blob.BlobRef;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** A written blob waiting for the group committer to make it durable and visible. */
sealed interface PendingCommit {

    CompletableFuture<BlobRef> done();

    /** Names the blob in error messages. */
    String name();

    /** A blob spilled to a temp file: fsynced, renamed to {@code target}, directory fsynced. */
    record Spilled(FileChannel channel, Path temp, Path target, BlobRef ref, CompletableFuture<BlobRef> done)
            implements PendingCommit {
        @Override
        public String name() {
            return ref.id();
        }
    }

    /** A small blob held in memory: appended to the current segment; its id is known only then. */
    record Packed(byte[] bytes, int size, String sha256, String provisionalId, CompletableFuture<BlobRef> done)
            implements PendingCommit {
        @Override
        public String name() {
            return "(pending " + provisionalId + ")";
        }
    }
}
