package io.mailfleet.server.importer;

import io.mailfleet.core.imap.ModifiedUtf7;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folders of a Dovecot sdbox or mdbox user directory, as both formats lay them out:
 * {@code mailboxes/<name>/dbox-Mails/}, hierarchy levels as directories, names in modified UTF-7.
 * Names become the node's folder names (its hierarchy delimiter, under an optional prefix). Blocking.
 */
final class DboxFolders {

    private static final int MAX_DEPTH = 64;

    /** What is done with one folder. */
    @FunctionalInterface
    interface FolderReader {
        void read(Path mails, String folder) throws IOException;
    }

    private final Path root;
    private final char delimiter;
    private final String folderPrefix;

    /**
     * @param root         the user's directory holding {@code mailboxes/}, already resolved to its real path
     * @param delimiter    the node's IMAP hierarchy delimiter, used in the stored folder names
     * @param folderPrefix a folder under which everything lands (INBOX becomes the prefix itself), or empty
     */
    DboxFolders(Path root, char delimiter, String folderPrefix) {
        this.root = root;
        this.delimiter = delimiter;
        this.folderPrefix = folderPrefix == null ? "" : folderPrefix.strip();
    }

    /** Whether {@code dir} looks like a Dovecot sdbox/mdbox user directory ({@code mailboxes/}). */
    static boolean isDbox(Path dir) {
        return Files.isDirectory(dir.resolve("mailboxes"), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Runs {@code reader} on every folder's {@code dbox-Mails} directory, INBOX first; a folder whose name
     * is not valid modified UTF-7 is reported to {@code sink} in its place.
     */
    void forEach(ImportSink sink, FolderReader reader) throws IOException {
        Path mailboxes = root.resolve("mailboxes");
        List<Path> dirs = new ArrayList<>();
        // links are not followed: nothing outside the user's directory is read
        try (Stream<Path> all = Files.walk(mailboxes, MAX_DEPTH)) {
            all.filter(p -> p.getFileName().toString().equals("dbox-Mails")
                    && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> dirs.add(p.getParent()));
        }
        dirs.sort(Comparator.comparing((Path p) -> !mailboxes.relativize(p).toString().equalsIgnoreCase("INBOX"))
                .thenComparing(p -> mailboxes.relativize(p).toString()));
        for (Path dir : dirs) {
            String folder;
            try {
                folder = folderName(mailboxes.relativize(dir));
            } catch (IllegalArgumentException e) {
                sink.skipped(root.relativize(dir).toString(), "folder name is not valid modified UTF-7: "
                        + e.getMessage());
                continue;
            }
            reader.read(dir.resolve("dbox-Mails"), folder);
        }
    }

    private String folderName(Path relative) {
        List<String> parts = new ArrayList<>();
        for (Path level : relative) {
            String decoded = ModifiedUtf7.decode(level.toString());
            if (decoded.isEmpty() || decoded.indexOf(delimiter) >= 0) {
                throw new IllegalArgumentException("'" + level + "' is empty or holds the hierarchy delimiter "
                        + delimiter);
            }
            parts.add(decoded);
        }
        String name = String.join(String.valueOf(delimiter), parts);
        if (name.equalsIgnoreCase("INBOX")) {
            return folderPrefix.isEmpty() ? "INBOX" : folderPrefix;
        }
        return folderPrefix.isEmpty() ? name : folderPrefix + delimiter + name;
    }
}
