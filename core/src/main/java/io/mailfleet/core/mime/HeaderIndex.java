package io.mailfleet.core.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Computes IMAP BODY[HEADER.FIELDS (...)] and BODY[HEADER.FIELDS.NOT (...)] from a raw header
 * section (RFC 3501 §6.4.5): the selected fields verbatim with their folded continuation lines, in
 * message order, followed by the blank line CRLF. Field names match case-insensitively. Lines that
 * are not fields (no colon) are never returned. Streams: memory stays bounded for any header size.
 */
public final class HeaderIndex {

    private static final int MAX_NAME = 1000;

    private HeaderIndex() {
    }

    /** HEADER.FIELDS ({@code not} false) or HEADER.FIELDS.NOT ({@code not} true) of {@code header}. */
    public static byte[] select(byte[] header, Collection<String> names, boolean not) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            select(new ByteArrayInputStream(header), names, not, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Streams the selection of the header read from {@code in} (which may continue past the header's
     * blank line; reading stops there) to {@code out}.
     */
    public static void select(InputStream in, Collection<String> names, boolean not, OutputStream out)
            throws IOException {
        Set<String> wanted = new HashSet<>();
        for (String n : names) {
            wanted.add(n.trim().toLowerCase(Locale.ROOT));
        }
        InputStream src = in.markSupported() ? in : new java.io.BufferedInputStream(in, 8192);
        byte[] prefix = new byte[MAX_NAME + 1];
        int prefixLen = 0;
        boolean lineStart = true;
        boolean inName = false;
        boolean emitting = false;
        int b;
        while ((b = src.read()) >= 0) {
            if (lineStart) {
                lineStart = false;
                if (b == ' ' || b == '\t') {
                    if (emitting) {
                        out.write(b);
                    }
                    continue;
                }
                inName = true;
                prefixLen = 0;
            }
            if (inName) {
                if (b == '\n') {
                    inName = false;
                    lineStart = true;
                    emitting = false;
                    if (prefixLen == 0 || prefixLen == 1 && prefix[0] == '\r') {
                        break;
                    }
                    continue;
                }
                prefix[prefixLen++] = (byte) b;
                if (b == ':') {
                    inName = false;
                    String name = new String(prefix, 0, prefixLen - 1, StandardCharsets.ISO_8859_1)
                            .trim().toLowerCase(Locale.ROOT);
                    emitting = !name.isEmpty() && wanted.contains(name) != not;
                    if (emitting) {
                        out.write(prefix, 0, prefixLen);
                    }
                } else if (prefixLen > MAX_NAME) {
                    inName = false;
                    emitting = false;
                }
                continue;
            }
            if (emitting) {
                out.write(b);
            }
            if (b == '\n') {
                lineStart = true;
            }
        }
        if (emitting && !lineStart) {
            // a header cut before its final line end: keep the selection well-formed
            out.write('\r');
            out.write('\n');
        }
        out.write('\r');
        out.write('\n');
    }
}
