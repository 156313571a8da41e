package io.mailfleet.protocols.imap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keywords a session has announced for its selected mailbox. A client may only be shown a
 * keyword in {@code FETCH (FLAGS ...)} after an untagged {@code FLAGS} (and {@code PERMANENTFLAGS})
 * named it (RFC 3501 §7.2.6), whether this session or another one set it.
 */
public final class KeywordAnnouncer {

    static final String SYSTEM_FLAGS = "\\Answered \\Flagged \\Deleted \\Seen \\Draft";

    private final Set<String> announced = new TreeSet<>();
    private final boolean readOnly;

    public KeywordAnnouncer(Collection<String> keywords, boolean readOnly) {
        this.readOnly = readOnly;
        learn(keywords);
    }

    /** Adds the keywords among {@code flags}; true when one of them had not been announced. */
    public boolean learn(Collection<String> flags) {
        boolean added = false;
        for (String f : flags) {
            if (!f.startsWith("\\") && announced.add(f)) {
                added = true;
            }
        }
        return added;
    }

    /** The untagged FLAGS and PERMANENTFLAGS responses (without {@code "* "}) for every keyword known. */
    public List<String> responses() {
        String all = SYSTEM_FLAGS + (announced.isEmpty() ? "" : " " + String.join(" ", announced));
        List<String> out = new ArrayList<>(2);
        out.add("FLAGS (" + all + ")");
        out.add("OK [PERMANENTFLAGS (" + (readOnly ? "" : all + " \\*") + ")] Flags permitted.");
        return out;
    }
}
