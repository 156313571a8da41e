package io.mailfleet.core.blob;

/**
 * A reference to stored message bytes: the blob id, its size and the SHA-256 of its content
 * (lower-case hex) that every read is checked against.
 */
public record BlobRef(String id, long size, String sha256) {
}
