package io.mailfleet.server.importer;

import io.mailfleet.core.imap.ModifiedUtf7;
import io.mailfleet.server.importer.dovecot.DovecotIndex;
import io.mailfleet.server.importer.dovecot.FolderModseqs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads Dovecot's sdbox format as docker-mailserver writes it with {@code DOVECOT_MAILBOX_FORMAT=sdbox}:
 * {@code mailboxes/<name>/dbox-Mails/} per folder (hierarchy levels as directories, names in modified
 * UTF-7), one file {@code u.<uid>} per message ({@link DboxFile}), and the folder's UIDVALIDITY, next
 * UID, flags, keywords and modseqs in Dovecot's index files beside them ({@link DovecotIndex}); the
 * message's received time from its metadata is the internal date.
 *
 * <p>A folder whose index files cannot be read is still imported, with new UIDs and without flags,
 * and the summary says so; a message file that cannot be read is skipped with the reason; a message
 * the index lists without a file is reported. Blocking: runs on an import thread.
 */
public final class SdboxReader {

    private static final Pattern MESSAGE = Pattern.compile("u\\.([1-9][0-9]{0,9})");
    private static final int MAX_DEPTH = 64;

    private final Path root;
    private final char delimiter;
    private final String folderPrefix;

    /**
     * @param root         the user's directory holding {@code mailboxes/}
     * @param delimiter    the node's IMAP hierarchy delimiter, used in the stored folder names
     * @param folderPrefix a folder under which everything lands (INBOX becomes the prefix itself), or empty
     */
    public SdboxReader(Path root, char delimiter, String folderPrefix) throws IOException {
        this.root = root.toRealPath();
        this.delimiter = delimiter;
        this.folderPrefix = folderPrefix == null ? "" : folderPrefix.strip();
    }

    /** Whether {@code dir} looks like a Dovecot sdbox/mdbox user directory ({@code mailboxes/}). */
    public static boolean isDbox(Path dir) {
        return Files.isDirectory(dir.resolve("mailboxes"), LinkOption.NOFOLLOW_LINKS);
    }

    /** Hands every message and every skipped entry to {@code sink}, folder by folder, INBOX first. */
    public void read(ImportSink sink) throws IOException {
        Path mailboxes = root.resolve("mailboxes");
        List<Path> folders = new ArrayList<>();
        // links are not followed: nothing outside the user's directory is read
        try (Stream<Path> all = Files.walk(mailboxes, MAX_DEPTH)) {
            all.filter(p -> p.getFileName().toString().equals("dbox-Mails")
                    && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> folders.add(p.getParent()));
        }
        folders.sort(Comparator.comparing((Path p) -> !mailboxes.relativize(p).toString().equalsIgnoreCase("INBOX"))
                .thenComparing(p -> mailboxes.relativize(p).toString()));
        for (Path dir : folders) {
            String origin = root.relativize(dir).toString();
            String folder;
            try {
                folder = folderName(mailboxes.relativize(dir));
            } catch (IllegalArgumentException e) {
                sink.skipped(origin, "folder name is not valid modified UTF-7: " + e.getMessage());
                continue;
            }
            readFolder(dir.resolve("dbox-Mails"), folder, sink);
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

    private void readFolder(Path mails, String folder, ImportSink sink) throws IOException {
        String where = root.relativize(mails).toString();
        TreeMap<Long, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(mails)) {
            for (Path p : entries) {
                var m = MESSAGE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    files.put(Long.parseLong(m.group(1)), p);
                }
            }
        }
        DovecotIndex index = DovecotIndex.read(mails);
        if (!index.usable()) {
            sink.note(folder, where + ": " + index.problem() + "; the folder's messages are imported with new UIDs"
                    + " and without flags, so clients download it again");
            for (Path f : files.values()) {
                message(f, folder, Set.of(), 0, 0, sink);
            }
            return;
        }
        FolderModseqs modseqs = FolderModseqs.of(index);
        sink.folderUids(folder, index.uidValidity());
        sink.folderModseq(folder, modseqs.highestModseq(), modseqs.summary(), null);
        List<Path> unindexed = new ArrayList<>();
        for (var e : files.entrySet()) {
            DovecotIndex.Message m = index.message(e.getKey());
            if (m == null) {
                unindexed.add(e.getValue());
                continue;
            }
            message(e.getValue(), folder, m.flags(), e.getKey(), modseqs.modseq(e.getKey(), m.flags()), sink);
        }
        for (long uid : index.messages().keySet()) {
            if (!files.containsKey(uid)) {
                sink.skipped(where + "/u." + uid, "listed in Dovecot's index, but the file is missing");
            }
        }
        sink.folderUidNext(folder, index.nextUid());
        for (Path f : unindexed) {
            sink.note(root.relativize(f).toString(), "not in Dovecot's index (delivered after Dovecot last looked);"
                    + " imported with a new UID and no flags");
            message(f, folder, Set.of(), 0, 0, sink);
        }
    }

    private void message(Path f, String folder, Set<String> flags, long uid, long modseq, ImportSink sink) {
        String origin = root.relativize(f).toString();
        try {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                sink.skipped(origin, "not a regular file");
                return;
            }
            DboxFile.Parsed p = DboxFile.parse(f);
            Instant date = p.received() != null ? p.received() : Files.getLastModifiedTime(f).toInstant();
            sink.offer(new SourceMessage(folder, origin, date, flags, uid, modseq, out -> DboxFile.copy(f, p, out)));
        } catch (IOException e) {
            sink.skipped(origin, "unreadable dbox file: " + e.getMessage());
        }
    }
}
