package io.mailfleet.core.spam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The fields of a header section, unfolded, in order, with case-insensitive look-up. */
record HeaderFields(List<Field> fields) {

    /** One field; {@code name} as written, {@code value} unfolded and trimmed. */
    record Field(String name, String value) {
    }

    static HeaderFields parse(String header) {
        List<Field> out = new ArrayList<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String l : header.split("\r\n")) {
            if ((l.startsWith(" ") || l.startsWith("\t")) && name != null) {
                value.append(' ').append(l.strip());
                continue;
            }
            if (name != null) {
                out.add(new Field(name, value.toString().strip()));
                name = null;
            }
            int colon = l.indexOf(':');
            if (colon > 0) {
                name = l.substring(0, colon).strip();
                value.setLength(0);
                value.append(l.substring(colon + 1));
            }
        }
        if (name != null) {
            out.add(new Field(name, value.toString().strip()));
        }
        return new HeaderFields(List.copyOf(out));
    }

    List<String> all(String name) {
        List<String> v = new ArrayList<>();
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                v.add(f.value());
            }
        }
        return v;
    }

    String first(String name) {
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return f.value();
            }
        }
        return null;
    }

    boolean has(String name) {
        return first(name) != null;
    }

    static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
