package io.mailfleet.server.importer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Maildir folder's {@code dovecot-uidlist}: the UIDVALIDITY and next UID Dovecot gave the folder
 * and the UID of each message by its file's base name (the name up to the {@code :2,} info).
 *
 * <p>Version 3 (Dovecot 1.0 and later): a header {@code 3 V<uidvalidity> N<nextuid> [G<guid>] ...} and
 * lines {@code <uid> [<ext fields>] :<filename>}, where the extension fields ({@code W<vsize>},
 * {@code S<size>}, {@code G<guid>} ...) are optional; version 1: {@code 1 <uidvalidity> <nextuid>} and
 * lines {@code <uid> <filename>}. Lines that cannot be read, UIDs out of order or given twice and file
 * names listed twice are collected as {@link #problems()}; their messages get new UIDs.
 */
public final class DovecotUidList {

    private final long uidValidity;
    private final long nextUid;
    private final Map<String, Long> uids;
    private final List<String> problems;

    private DovecotUidList(long uidValidity, long nextUid, Map<String, Long> uids, List<String> problems) {
        this.uidValidity = uidValidity;
        this.nextUid = nextUid;
        this.uids = uids;
        this.problems = problems;
    }

    /** UIDVALIDITY, 0 when the header could not be read (then no UID of the list is kept). */
    public long uidValidity() {
        return uidValidity;
    }

    /** The folder's next UID as Dovecot would give it, at least one above the highest listed UID; 0 if unknown. */
    public long nextUid() {
        return nextUid;
    }

    /** The UID of the message whose file has base name {@code base}, or 0. */
    public long uid(String base) {
        Long u = uids.get(base);
        return u == null ? 0 : u;
    }

    /** Readable descriptions of the lines not used, with their line numbers. */
    public List<String> problems() {
        return problems;
    }

    /** Parses the lines of a {@code dovecot-uidlist} file. */
    public static DovecotUidList parse(List<String> lines) {
        List<String> problems = new ArrayList<>();
        if (lines.isEmpty()) {
            return new DovecotUidList(0, 0, Map.of(), List.of("empty file"));
        }
        String[] header = lines.get(0).strip().split("\\s+");
        long validity = 0;
        long next = 0;
        int version = 0;
        try {
            version = Integer.parseInt(header[0]);
            if (version == 1 && header.length >= 3) {
                validity = Long.parseLong(header[1]);
                next = Long.parseLong(header[2]);
            } else if (version == 3) {
                for (int i = 1; i < header.length; i++) {
                    if (header[i].startsWith("V")) {
                        validity = Long.parseLong(header[i].substring(1));
                    } else if (header[i].startsWith("N")) {
                        next = Long.parseLong(header[i].substring(1));
                    }
                }
            }
        } catch (NumberFormatException e) {
            validity = 0;
        }
        if (version != 1 && version != 3 || validity <= 0 || validity > 0xFFFFFFFFL || next < 0 || next > 0xFFFFFFFFL) {
            return new DovecotUidList(0, 0, Map.of(), List.of("line 1: not a version 1 or 3 header with a UIDVALIDITY: '"
                    + abbreviate(lines.get(0)) + "'; the folder's messages get new UIDs"));
        }
        Map<String, Long> uids = new HashMap<>();
        Set<String> twice = new HashSet<>();
        long last = 0;
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            String where = "line " + (n + 1) + ": ";
            int space = line.indexOf(' ');
            long uid;
            String name;
            try {
                uid = Long.parseLong(space < 0 ? line : line.substring(0, space));
                if (space < 0) {
                    throw new NumberFormatException("no file name");
                }
                String rest = line.substring(space + 1);
                if (version == 3) {
                    int colon = rest.startsWith(":") ? 0 : rest.indexOf(" :");
                    if (colon < 0) {
                        throw new NumberFormatException("no ':<file name>'");
                    }
                    name = rest.substring(colon == 0 ? 1 : colon + 2);
                } else {
                    name = rest.strip();
                }
            } catch (NumberFormatException e) {
                problems.add(where + "unreadable ('" + abbreviate(line) + "')");
                continue;
            }
            name = MaildirFlags.baseName(name);
            if (uid <= 0 || uid > 0xFFFFFFFFL || name.isEmpty()) {
                problems.add(where + "unreadable ('" + abbreviate(line) + "')");
                continue;
            }
            if (uid <= last) {
                problems.add(where + "uid " + uid + " is not above the uid before it (" + last + "); " + name
                        + " gets a new uid");
                continue;
            }
            if (uids.containsKey(name) || twice.contains(name)) {
                problems.add(where + name + " is listed twice; it gets a new uid");
                uids.remove(name);
                twice.add(name);
                continue;
            }
            uids.put(name, uid);
            last = uid;
        }
        return new DovecotUidList(validity, Math.max(next, last + 1), uids, Collections.unmodifiableList(problems));
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
