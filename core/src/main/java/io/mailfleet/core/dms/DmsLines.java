package io.mailfleet.core.dms;

import io.mailfleet.core.address.MailAddress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** Line handling shared by the docker-mailserver config files: LF/CRLF, comments, continuation lines. */
public final class DmsLines {

    private DmsLines() {
    }

    /**
     * Splits file content into lines: CRLF (and a lone CR) become LF and a missing final newline is
     * fine (GEN-13); a UTF-8 byte order mark is dropped.
     */
    public static List<String> split(String content) {
        String s = content.startsWith("\uFEFF") ? content.substring(1) : content;
        s = s.replace("\r\n", "\n").replace('\r', '\n');
        List<String> out = new ArrayList<>(List.of(s.split("\n", -1)));
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** The lines of a file, or an empty list when it does not exist. */
    public static List<String> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new ArrayList<>();
        }
        return split(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Writes lines with LF endings and a final newline, replacing the file atomically where possible. */
    public static void write(Path file, List<String> lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Blank, or a comment ({@code #} as first non-blank character). */
    public static boolean isIgnorable(String line) {
        String s = line.strip();
        return s.isEmpty() || s.startsWith("#");
    }

    /** Starts with whitespace and has content: Postfix continues the previous logical line. */
    public static boolean isContinuation(String line) {
        return !line.isEmpty() && Character.isWhitespace(line.charAt(0)) && !isIgnorable(line);
    }

    /** Index where a trailing comment starts (whitespace then {@code #}), or the line length. */
    public static int commentStart(String line) {
        for (int i = 1; i < line.length(); i++) {
            if (line.charAt(i) == '#' && Character.isWhitespace(line.charAt(i - 1))) {
                int j = i - 1;
                while (j > 0 && Character.isWhitespace(line.charAt(j - 1))) {
                    j--;
                }
                return j;
            }
        }
        return line.length();
    }

    /** The line without a trailing comment, stripped. */
    public static String content(String line) {
        return line.substring(0, commentStart(line)).strip();
    }

    /** Lower-cased {@code local@domain} key, or empty when it is not a valid address. */
    /** Index of the first line whose key (by {@code keyOf}, null for a line without one) is {@code key}, -1 when none. */
    static int indexOfKey(List<String> lines, String key, Function<String, String> keyOf) {
        for (int i = 0; i < lines.size(); i++) {
            if (key.equals(keyOf.apply(lines.get(i)))) {
                return i;
            }
        }
        return -1;
    }

    /** A copy of {@code lines} without those whose key (by {@code keyOf}) is {@code key}. */
    static List<String> withoutKey(List<String> lines, String key, Function<String, String> keyOf) {
        List<String> out = new ArrayList<>(lines);
        out.removeIf(l -> key.equals(keyOf.apply(l)));
        return out;
    }

    static Optional<String> addressKey(String text) {
        return MailAddress.tryParse(text).map(MailAddress::key);
    }

    /** Whether {@code text} is a valid alias/access key target: an address or a bare local name. */
    static Optional<String> target(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return Optional.empty();
        }
        if (t.indexOf('@') >= 0) {
            return addressKey(t);
        }
        return t.matches("[A-Za-z0-9._+-]+") ? Optional.of(t.toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    /** Key of an alias source: an address or {@code @domain}. */
    static Optional<String> aliasSource(String text) {
        String s = text.strip();
        if (s.startsWith("@")) {
            try {
                return Optional.of("@" + MailAddress.normalizeDomain(s.substring(1), s));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
        return addressKey(s);
    }

    static String firstToken(String content) {
        int i = 0;
        while (i < content.length() && !Character.isWhitespace(content.charAt(i))) {
            i++;
        }
        return content.substring(0, i);
    }
}
