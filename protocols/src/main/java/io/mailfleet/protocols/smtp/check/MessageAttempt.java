package io.mailfleet.protocols.smtp.check;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.mime.ParsedMessage;

/**
 * A whole message, committed to the blob store but not queued yet: what an end-of-data check decides
 * on before the client gets its {@code 250}. A refusal means the message was never accepted.
 *
 * @param message the stored bytes (our {@code Received:} first), readable from the blob store
 * @param size    their length in octets
 * @param parsed  the one parse of {@code message} (structure, header block) that every check reads instead
 *                of parsing the bytes again; null when the message could not be parsed (a check then
 *                treats it as it would an unparsable one, or parses what it read itself)
 */
public record MessageAttempt(MessageStart start, BlobRef message, long size, ParsedMessage parsed) {

    /** A message without a parse at hand. */
    public MessageAttempt(MessageStart start, BlobRef message, long size) {
        this(start, message, size, null);
    }
}
