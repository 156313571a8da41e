package io.mailfleet.server.importer;

import io.mailfleet.server.importer.dovecot.DovecotIndex;
import io.mailfleet.server.importer.dovecot.FolderModseqs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

/**
 * Reads Dovecot's mdbox format ({@code DOVECOT_MAILBOX_FORMAT=mdbox}): the messages live in
 * {@code storage/m.<file id>} files, many to a file, and the map index ({@code storage/dovecot.map.index*},
 * extension {@code map}: file id, offset, size per map UID) says where; each folder
 * ({@code mailboxes/<name>/dbox-Mails/}) has its own index whose records carry the map UID
 * (extension {@code mdbox}) beside UIDVALIDITY, UIDs, flags, keywords and modseqs. Blocking.
 *
 * <p>A folder whose index cannot be read, or a map that cannot be read, leaves messages that cannot be
 * found: they are reported, nothing is guessed.
 */
public final class MdboxReader {

    private final Path root;
    private final DboxFolders folders;

    /** @see SdboxReader#SdboxReader(Path, char, String) */
    public MdboxReader(Path root, char delimiter, String folderPrefix) throws IOException {
        this.root = root.toRealPath();
        this.folders = new DboxFolders(this.root, delimiter, folderPrefix);
    }

    /** Whether {@code dir} is a Dovecot mdbox user directory ({@code mailboxes/} and {@code storage/}). */
    public static boolean isMdbox(Path dir) {
        return DboxFolders.isDbox(dir) && Files.isDirectory(dir.resolve("storage"), LinkOption.NOFOLLOW_LINKS);
    }

    /** Hands every message and every skipped entry to {@code sink}, folder by folder, INBOX first. */
    public void read(ImportSink sink) throws IOException {
        Path storage = root.resolve("storage");
        DovecotIndex map = DovecotIndex.read(storage, "dovecot.map.index", Set.of("map"));
        if (!map.usable()) {
            sink.skipped("storage", "the map index cannot be read (" + map.problem() + "); no message of this"
                    + " mdbox mailbox can be found, nothing is imported");
            return;
        }
        folders.forEach(sink, (mails, folder) -> readFolder(storage, map, mails, folder, sink));
    }

    private void readFolder(Path storage, DovecotIndex map, Path mails, String folder, ImportSink sink) {
        String where = root.relativize(mails).toString();
        DovecotIndex index = DovecotIndex.read(mails, "dovecot.index", Set.of("mdbox"));
        if (!index.usable()) {
            sink.skipped(where, "the folder's index cannot be read (" + index.problem() + "); its messages cannot"
                    + " be found in storage/, nothing of " + folder + " is imported");
            return;
        }
        FolderModseqs modseqs = FolderModseqs.of(index);
        sink.folderUids(folder, index.uidValidity());
        sink.folderModseq(folder, modseqs.highestModseq(), modseqs.summary(), null);
        for (DovecotIndex.Message m : index.messages().values()) {
            String origin = where + " uid " + m.uid();
            long mapUid = m.extU32("mdbox", 0);
            DovecotIndex.Message stored = mapUid > 0 ? map.message(mapUid) : null;
            long fileId = stored == null ? -1 : stored.extU32("map", 0);
            long offset = stored == null ? -1 : stored.extU32("map", 4);
            if (fileId <= 0 || offset < 0) {
                sink.skipped(origin, "not in the map index (map uid " + mapUid + "): its message cannot be found");
                continue;
            }
            Path file = storage.resolve("m." + fileId);
            String fileOrigin = root.relativize(file) + " offset " + offset;
            try {
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    sink.skipped(origin, root.relativize(file) + " is missing");
                    continue;
                }
                DboxFile.Parsed p = DboxFile.parseAt(file, offset);
                Instant date = p.received() != null ? p.received() : Files.getLastModifiedTime(file).toInstant();
                sink.offer(new SourceMessage(folder, fileOrigin, date, m.flags(), m.uid(),
                        modseqs.modseq(m.uid(), m.flags()), out -> DboxFile.copy(file, p, out)));
            } catch (IOException e) {
                sink.skipped(fileOrigin, "unreadable dbox message (" + folder + " uid " + m.uid() + "): "
                        + e.getMessage());
            }
        }
        sink.folderUidNext(folder, index.nextUid());
    }
}
