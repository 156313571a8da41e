package io.mailfleet.core.spam;

import io.mailfleet.core.imap.ContentDecoding;
import io.mailfleet.core.mime.BodyPart;
import jakarta.mail.internet.MimeUtility;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The readable parts of a parsed message as the scorer's readers see them: depth first through
 * multiparts and attached messages (to a depth bound), each {@code text/plain} or {@code text/html} leaf
 * (or a leaf without a type) with its text decoded from its transfer encoding and charset.
 */
public final class TextParts {

    /** What a walk hands to its reader. */
    public interface Reader {

        /** Every part before anything of it is read; false skips it (and so ends a walk that is full). */
        default boolean enter(BodyPart part) {
            return true;
        }

        /** A leaf that is not text: an attachment, an image, application data. */
        default void other(BodyPart part) {
        }

        /** A text leaf with its decoded text. */
        void text(BodyPart part, String text, boolean html);
    }

    private TextParts() {
    }

    /**
     * Walks the parts of {@code message} under {@code root}, nested no deeper than {@code maxDepth};
     * {@code message} may hold only the first octets of the parsed message, parts past them are left out.
     */
    public static void walk(byte[] message, BodyPart root, int maxDepth, Reader reader) {
        walk(message, root, reader, 0, maxDepth);
    }

    private static void walk(byte[] m, BodyPart p, Reader reader, int depth, int maxDepth) {
        // a part starting past the octets at hand (the parse covers the whole message) is not read
        if (depth > maxDepth || p.headerStart() > m.length || !reader.enter(p)) {
            return;
        }
        if (p.isMultipart()) {
            for (BodyPart c : p.parts()) {
                walk(m, c, reader, depth + 1, maxDepth);
            }
            return;
        }
        if (p.isMessage()) {
            walk(m, p.message(), reader, depth + 1, maxDepth);
            return;
        }
        boolean html = "html".equalsIgnoreCase(p.subtype());
        if (p.type() != null && !(p.isText() && (html || "plain".equalsIgnoreCase(p.subtype())))) {
            reader.other(p);
            return;
        }
        int start = (int) Math.min(p.bodyStart(), m.length);
        int end = (int) Math.min(p.bodyEnd(), m.length);
        if (end > start) {
            reader.text(p, decoded(m, p, start, end), html);
        }
    }

    private static String decoded(byte[] m, BodyPart p, int start, int end) {
        try (InputStream in = ContentDecoding.decode(new ByteArrayInputStream(m, start, end - start), p.encoding())) {
            return new String(in.readAllBytes(), charset(p));
        } catch (IOException | IllegalArgumentException e) {
            // an undecodable body is read as its raw octets
            return new String(m, start, end - start, StandardCharsets.ISO_8859_1);
        }
    }

    private static Charset charset(BodyPart p) {
        try {
            return Charset.forName(MimeUtility.javaCharset(p.param("charset").orElse("utf-8")));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
