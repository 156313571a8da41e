package io.mailfleet.protocols.smtp.check;

import io.mailfleet.core.blob.BlobRef;

/**
 * A whole message, committed to the blob store but not queued yet: what an end-of-data check decides
 * on before the client gets its {@code 250}. A refusal means the message was never accepted.
 *
 * @param message the stored bytes (our {@code Received:} first), readable from the blob store
 * @param size    their length in octets
 */
public record MessageAttempt(MessageStart start, BlobRef message, long size) {
}
