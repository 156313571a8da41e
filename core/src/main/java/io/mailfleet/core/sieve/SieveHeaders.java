package io.mailfleet.core.sieve;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Splits a raw header block into the fields a Sieve script sees: names as written, folded raw values. */
public final class SieveHeaders {

    private SieveHeaders() {
    }

    /** The fields of {@code block} (the header section, its blank line optional) in message order. */
    public static List<SieveMessage.Header> parse(byte[] block) {
        return parse(new String(block, StandardCharsets.UTF_8));
    }

    static List<SieveMessage.Header> parse(String block) {
        List<SieveMessage.Header> out = new ArrayList<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String line : block.split("\r?\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
                value.append("\r\n").append(line);
                continue;
            }
            if (name != null) {
                out.add(new SieveMessage.Header(name, value.toString()));
                name = null;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                name = line.substring(0, colon).strip();
                value.setLength(0);
                value.append(line.substring(colon + 1).stripLeading());
            }
        }
        if (name != null) {
            out.add(new SieveMessage.Header(name, value.toString()));
        }
        return Collections.unmodifiableList(out);
    }
}
