package io.mailfleet.server.importer;

import java.util.Locale;
import java.util.Map;

/**
 * The RFC 6154 special use a folder an import creates gets from its name, as docker-mailserver's
 * Dovecot configuration gives it (Sent, Drafts, Junk, Trash, Archive and their common variants).
 */
final class SpecialUse {

    private static final Map<String, String> BY_NAME = Map.of(
            "sent", "\\Sent", "sent messages", "\\Sent", "sent items", "\\Sent",
            "drafts", "\\Drafts",
            "junk", "\\Junk", "spam", "\\Junk",
            "trash", "\\Trash", "deleted messages", "\\Trash",
            "archive", "\\Archive");

    private SpecialUse() {
    }

    /** The special use of a top-level folder named {@code name}, or null. */
    static String of(String name) {
        return BY_NAME.get(name.toLowerCase(Locale.ROOT));
    }
}
