package io.mailfleet.server.importer;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * IMAP flags of a Maildir file name ({@code <unique>:2,<flags>}): the standard letters (D F P R S T)
 * and Dovecot's keyword letters {@code a}..{@code z}, indexes into the folder's {@code dovecot-keywords}.
 */
public final class MaildirFlags {

    private MaildirFlags() {
    }

    /**
     * @param fileName  the file's name
     * @param keywords  the folder's keywords by index (from {@code dovecot-keywords}); a letter without
     *                  a keyword is ignored, as Dovecot does
     */
    public static Set<String> of(String fileName, List<String> keywords) {
        Set<String> flags = new LinkedHashSet<>();
        int info = fileName.lastIndexOf(":2,");
        if (info < 0) {
            // some tools (and Windows-safe copies) write ';' or '!' instead of ':'
            info = Math.max(fileName.lastIndexOf(";2,"), fileName.lastIndexOf("!2,"));
        }
        if (info < 0) {
            return flags;
        }
        for (char c : fileName.substring(info + 3).toCharArray()) {
            switch (c) {
                case 'D' -> flags.add("\\Draft");
                case 'F' -> flags.add("\\Flagged");
                case 'P' -> flags.add("$Forwarded");
                case 'R' -> flags.add("\\Answered");
                case 'S' -> flags.add("\\Seen");
                case 'T' -> flags.add("\\Deleted");
                default -> {
                    if (c >= 'a' && c <= 'z' && c - 'a' < keywords.size() && keywords.get(c - 'a') != null) {
                        flags.add(keywords.get(c - 'a'));
                    }
                }
            }
        }
        return flags;
    }

    /** The file name without its info part ({@code :2,...}): how Dovecot's uidlist names a message. */
    public static String baseName(String fileName) {
        int info = fileName.indexOf(':');
        if (info < 0) {
            info = Math.max(fileName.lastIndexOf(";2,"), fileName.lastIndexOf("!2,"));
        }
        return info < 0 ? fileName : fileName.substring(0, info);
    }

    /**
     * Parses a {@code dovecot-keywords} file: lines {@code <index> <keyword>}; malformed lines and
     * keywords that are not IMAP atoms are left out (the index then maps to nothing).
     */
    public static List<String> keywords(List<String> lines) {
        String[] byIndex = new String[26];
        for (String line : lines) {
            String[] parts = line.strip().split("\\s+", 2);
            if (parts.length != 2) {
                continue;
            }
            try {
                int i = Integer.parseInt(parts[0]);
                if (i >= 0 && i < 26 && isAtom(parts[1])) {
                    byIndex[i] = parts[1];
                }
            } catch (NumberFormatException e) {
                // not a keyword line
            }
        }
        return java.util.Arrays.asList(byIndex);
    }

    private static boolean isAtom(String s) {
        if (s.isEmpty() || s.startsWith("\\")) {
            return false;
        }
        for (char c : s.toCharArray()) {
            if (c <= ' ' || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
