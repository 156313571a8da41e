package io.mailfleet.persistence.blob;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a packed blob lives: {@code p<segment>-<offset>}, decimal numbers, so ids stay safe in file
 * names and logs and never collide with the 26-character ids of blobs stored as files.
 */
record PackedId(long segment, long offset) {

    private static final Pattern FORMAT = Pattern.compile("p([0-9]{1,18})-([0-9]{1,18})");

    static PackedId parse(String id) {
        if (id == null) {
            return null;
        }
        Matcher m = FORMAT.matcher(id);
        return m.matches() ? new PackedId(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))) : null;
    }

    @Override
    public String toString() {
        return "p" + segment + "-" + offset;
    }
}
