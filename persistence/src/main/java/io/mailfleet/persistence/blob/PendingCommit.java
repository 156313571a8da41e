package io.mailfleet.persistence.blob;

import io.mailfleet.core.blob.BlobRef;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** A written temp file waiting for the group committer to make it durable and visible. */
record PendingCommit(FileChannel channel, Path temp, Path target, BlobRef ref, CompletableFuture<BlobRef> done) {
}
