package io.mailfleet.core.mime;

import java.util.Optional;

/**
 * Metadata of one stored message computed once at delivery: size, LF count, ENVELOPE and the body
 * structure with byte offsets. The header section is [0, {@code body.bodyStart()}), the body text
 * is [{@code body.bodyStart()}, {@code size}).
 */
public record MessageSummary(long size, long lines, Envelope envelope, BodyPart body) {

    /** Offset where the header section ends (the blank line included) and the body starts. */
    public long headerEnd() {
        return body.bodyStart();
    }

    /** The part named by an IMAP section part number such as "1.2", or empty when there is none. */
    public Optional<BodyPart> part(String section) {
        return Sections.find(body, section);
    }
}
