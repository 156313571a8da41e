package io.mailfleet.core.sieve;

import io.mailfleet.core.imap.ContentDecoding;
import io.mailfleet.core.mime.BodyPart;
import io.mailfleet.core.mime.MessageSummary;
import jakarta.mail.internet.MimeUtility;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The leaf parts a Sieve {@code body} test sees, read from the body structure the server's one MIME
 * parser ({@link io.mailfleet.core.mime.MessageParser}) computed: multiparts are descended, text
 * parts are transfer-decoded and charset-decoded, every other part is its type with no text.
 */
public final class SieveParts {
    private static final int MAX_DEPTH = 20;

    /** Reads the stored octets [start, end) of the message. */
    @FunctionalInterface
    public interface Bytes {
        InputStream open(long start, long end) throws IOException;
    }

    private SieveParts() {
    }

    /**
     * The parts of {@code summary} in order, reading at most {@code maxBytes} of stored body octets in
     * all (a body test on a huge message sees its beginning).
     */
    public static List<SieveMessage.Part> of(MessageSummary summary, Bytes bytes, long maxBytes) throws IOException {
        List<SieveMessage.Part> out = new ArrayList<>();
        long[] budget = {maxBytes};
        collect(summary.body(), bytes, out, 0, budget);
        return Collections.unmodifiableList(out);
    }

    private static void collect(BodyPart p, Bytes bytes, List<SieveMessage.Part> out, int depth, long[] budget)
            throws IOException {
        String type = (p.type() == null ? "text" : p.type()).toLowerCase(Locale.ROOT) + "/"
                + (p.subtype() == null ? "plain" : p.subtype()).toLowerCase(Locale.ROOT);
        if (p.isMultipart() && depth < MAX_DEPTH && !p.parts().isEmpty()) {
            for (BodyPart child : p.parts()) {
                collect(child, bytes, out, depth + 1, budget);
            }
            return;
        }
        if (p.isMultipart()) {
            // no parts found (a broken boundary): its body is text to Sieve, as an unparsed message is
            out.add(new SieveMessage.Part("text/plain", new String(read(p, bytes, budget), StandardCharsets.UTF_8)));
            return;
        }
        if (!p.isText()) {
            out.add(new SieveMessage.Part(type, ""));
            return;
        }
        out.add(new SieveMessage.Part(type, text(p, read(p, bytes, budget))));
    }

    private static byte[] read(BodyPart p, Bytes bytes, long[] budget) throws IOException {
        long length = Math.min(p.bodyEnd() - p.bodyStart(), Math.max(0, budget[0]));
        if (length <= 0) {
            return new byte[0];
        }
        budget[0] -= length;
        try (InputStream in = bytes.open(p.bodyStart(), p.bodyStart() + length)) {
            return in.readNBytes((int) length);
        }
    }

    /** Decoded text; an unknown charset or encoding falls back to UTF-8 of what can be decoded. */
    private static String text(BodyPart p, byte[] stored) {
        byte[] decoded;
        try (InputStream in = ContentDecoding.decode(new java.io.ByteArrayInputStream(stored), p.encoding())) {
            decoded = in.readAllBytes();
        } catch (IOException | IllegalArgumentException e) {
            decoded = stored;
        }
        Charset cs;
        try {
            cs = Charset.forName(MimeUtility.javaCharset(p.param("charset").orElse("us-ascii")));
        } catch (RuntimeException e) {
            cs = StandardCharsets.UTF_8;
        }
        return new String(decoded, cs);
    }
}
