package io.mailfleet.core.mime;

import java.util.Optional;

/** Maps IMAP BODY[section] specifiers to byte ranges of the stored message. */
public final class Sections {

    /** The text of a section specifier after the part number (RFC 3501 section-msgtext / MIME). */
    public enum Kind { ALL, HEADER, TEXT, MIME }

    /** A byte range [offset, offset + length) of the stored message. */
    public record Range(long offset, long length) {
    }

    private Sections() {
    }

    /**
     * The bytes of {@code part} ("" for the whole message) with {@code kind}; empty when the
     * section does not exist. HEADER and TEXT apply to the message itself or to message/rfc822
     * parts; HEADER.FIELDS(.NOT) are computed by {@link HeaderIndex} over the HEADER range.
     */
    public static Optional<Range> range(MessageSummary m, String part, Kind kind) {
        if (part.isEmpty()) {
            return switch (kind) {
                case ALL -> Optional.of(new Range(0, m.size()));
                case HEADER -> Optional.of(new Range(0, m.body().bodyStart()));
                case TEXT -> Optional.of(between(m.body().bodyStart(), m.size()));
                case MIME -> Optional.empty();
            };
        }
        Optional<BodyPart> found = find(m.body(), part);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        BodyPart p = found.get();
        return switch (kind) {
            case ALL -> Optional.of(between(p.bodyStart(), p.bodyEnd()));
            case MIME -> Optional.of(between(p.headerStart(), p.bodyStart()));
            case HEADER -> p.isMessage()
                    ? Optional.of(between(p.message().headerStart(), p.message().bodyStart())) : Optional.empty();
            case TEXT -> p.isMessage()
                    ? Optional.of(between(p.message().bodyStart(), p.bodyEnd())) : Optional.empty();
        };
    }

    private static Range between(long start, long end) {
        return new Range(start, Math.max(0, end - start));
    }

    /** Depth-first search; the outer message/rfc822 part wins over its body sharing the number. */
    static Optional<BodyPart> find(BodyPart p, String section) {
        if (section.equals(p.section())) {
            return Optional.of(p);
        }
        if (!p.section().isEmpty() && !section.startsWith(p.section() + ".")) {
            return Optional.empty();
        }
        for (BodyPart c : p.parts()) {
            Optional<BodyPart> r = find(c, section);
            if (r.isPresent()) {
                return r;
            }
        }
        return p.message() == null ? Optional.empty() : find(p.message(), section);
    }
}
