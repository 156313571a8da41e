package io.mailfleet.core.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Collection;

/**
 * Computes IMAP BODY[HEADER.FIELDS (...)] and BODY[HEADER.FIELDS.NOT (...)] from a raw header
 * section (RFC 3501 §6.4.5): the selected fields verbatim with their folded continuation lines, in
 * message order, followed by the blank line CRLF. Field names match case-insensitively. Lines that
 * are not fields (no colon) are never returned. Streams: memory stays bounded for any header size.
 */
public final class HeaderIndex {

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
        selection(in, names, not).transferTo(out);
    }

    /**
     * The selection of the header read from {@code in}, produced as it is read (bounded memory);
     * closing it closes {@code in}.
     */
    public static InputStream selection(InputStream in, Collection<String> names, boolean not) {
        return new HeaderSelectionStream(in, names, not);
    }
}
