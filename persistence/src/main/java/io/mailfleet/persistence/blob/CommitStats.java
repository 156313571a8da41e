package io.mailfleet.persistence.blob;

/**
 * Counters of the group committer: how many blobs were committed, in how many batches, and how many
 * file and directory fsyncs that took.
 */
public record CommitStats(long commits, long batches, long fileSyncs, long directorySyncs) {
}
