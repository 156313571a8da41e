package io.mailfleet.core.dkim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the header section of a message from a stream, leaving the stream at the first body byte. */
final class HeaderSection {
    /** Header sections larger than this are refused rather than buffered. */
    static final int MAX_HEADER_BYTES = 1 << 20;

    private HeaderSection() {
    }

    static List<HeaderField> read(InputStream in) throws IOException, DkimException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        List<String> lines = new ArrayList<>();
        int total = 0;
        int b;
        while ((b = in.read()) != -1) {
            if (++total > MAX_HEADER_BYTES) {
                throw new DkimException("header section larger than " + MAX_HEADER_BYTES + " bytes");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                line.reset();
                if (len == 0) {
                    return fields(lines);
                }
                lines.add(new String(bytes, 0, len, StandardCharsets.ISO_8859_1));
            } else {
                line.write(b);
            }
        }
        if (line.size() > 0) {
            lines.add(line.toString(StandardCharsets.ISO_8859_1));
        }
        return fields(lines);
    }

    private static List<HeaderField> fields(List<String> lines) throws DkimException {
        List<HeaderField> out = new ArrayList<>();
        StringBuilder current = null;
        for (String l : lines) {
            if (!l.isEmpty() && (l.charAt(0) == ' ' || l.charAt(0) == '\t')) {
                if (current == null) {
                    throw new DkimException("message starts with a continuation line");
                }
                current.append("\r\n").append(l);
                continue;
            }
            if (current != null) {
                out.add(field(current.toString()));
            }
            current = new StringBuilder(l);
        }
        if (current != null) {
            out.add(field(current.toString()));
        }
        return out;
    }

    private static HeaderField field(String raw) throws DkimException {
        int colon = raw.indexOf(':');
        if (colon <= 0) {
            throw new DkimException("malformed header line (no field name and colon): "
                    + raw.substring(0, Math.min(raw.length(), 60)));
        }
        return new HeaderField(raw.substring(0, colon).strip(), raw);
    }
}
