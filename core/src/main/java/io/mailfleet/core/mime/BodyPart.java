package io.mailfleet.core.mime;

import java.util.List;
import java.util.Optional;

/**
 * One node of a message's MIME tree with everything IMAP BODY/BODYSTRUCTURE needs and the byte
 * offsets (in the stored message) of its MIME header and body, so sections stream straight from the
 * blob. Strings are raw header values; null means absent (NIL).
 *
 * <p>{@code section} is the IMAP part specifier: "" for a top-level multipart, "1" for a top-level
 * single part; the body of a message/rfc822 part "2" is "2" when it is multipart, else "2.1".
 * {@code size} is {@code bodyEnd - bodyStart}; {@code lines} counts LFs in the body.
 * {@code parts} is non-empty only for multipart; {@code envelope} and {@code message} are set only
 * for a parsed message/rfc822 part (whose body is the embedded message, header included).
 */
public record BodyPart(String section, String type, String subtype, List<Param> params, String id,
                       String description, String encoding, long size, long lines, String md5,
                       Disposition disposition, List<String> language, String location,
                       long headerStart, long bodyStart, long bodyEnd,
                       List<BodyPart> parts, Envelope envelope, BodyPart message) {

    public BodyPart {
        params = List.copyOf(params);
        language = List.copyOf(language);
        parts = List.copyOf(parts);
    }

    public boolean isMultipart() {
        return "multipart".equalsIgnoreCase(type);
    }

    /** True for a message/rfc822 part whose embedded message was parsed. */
    public boolean isMessage() {
        return message != null;
    }

    /** True for text/* parts, which carry a line count in BODYSTRUCTURE. */
    public boolean isText() {
        return "text".equalsIgnoreCase(type);
    }

    /** The value of parameter {@code name} (case-insensitive), if present. */
    public Optional<String> param(String name) {
        return params.stream().filter(p -> p.name().equalsIgnoreCase(name)).map(Param::value).findFirst();
    }
}
