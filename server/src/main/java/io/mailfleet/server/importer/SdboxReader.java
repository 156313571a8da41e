package io.mailfleet.server.importer;

import io.mailfleet.server.importer.dovecot.DovecotIndex;
import io.mailfleet.server.importer.dovecot.FolderModseqs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

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

    private final Path root;
    private final DboxFolders folders;

    /**
     * @param root         the user's directory holding {@code mailboxes/}
     * @param delimiter    the node's IMAP hierarchy delimiter, used in the stored folder names
     * @param folderPrefix a folder under which everything lands (INBOX becomes the prefix itself), or empty
     */
    public SdboxReader(Path root, char delimiter, String folderPrefix) throws IOException {
        this.root = root.toRealPath();
        this.folders = new DboxFolders(this.root, delimiter, folderPrefix);
    }

    /** Whether {@code dir} looks like a Dovecot sdbox/mdbox user directory ({@code mailboxes/}). */
    public static boolean isDbox(Path dir) {
        return DboxFolders.isDbox(dir);
    }

    /** Hands every message and every skipped entry to {@code sink}, folder by folder, INBOX first. */
    public void read(ImportSink sink) throws IOException {
        folders.forEach(sink, (mails, folder) -> readFolder(mails, folder, sink));
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
