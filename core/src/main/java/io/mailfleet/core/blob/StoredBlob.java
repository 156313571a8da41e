package io.mailfleet.core.blob;

/**
 * A committed, undeleted blob as a listing of the store sees it. The ref's size is the real one; its
 * SHA-256 is null where the store cannot know it without reading the content (blobs stored as single
 * files, S3 objects), so compare listed refs with others by {@link BlobRef#id()}.
 */
public record StoredBlob(BlobRef ref, java.time.Instant created) {
}
