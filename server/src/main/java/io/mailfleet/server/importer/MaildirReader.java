package io.mailfleet.server.importer;

import io.mailfleet.core.imap.ModifiedUtf7;
import io.mailfleet.server.importer.dovecot.FolderModseqs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Reads a Maildir++ tree as Dovecot and docker-mailserver write it: {@code cur/} and {@code new/} of
 * the root are INBOX, each {@code .Folder.Sub} directory is the folder {@code Folder/Sub} (names in
 * modified UTF-7, Dovecot's default), flags from the file name's {@code :2,} info and
 * {@code dovecot-keywords}, the internal date from the file's modification time (Dovecot's received
 * date; the {@code ,S=}/{@code ,W=} fields of the name are sizes, not dates), and each folder's
 * UIDVALIDITY, UIDs and UIDNEXT from its {@code dovecot-uidlist} ({@link DovecotUidList}), and its
 * CONDSTORE state (HIGHESTMODSEQ, each message's modseq) from Dovecot's index files
 * ({@link FolderModseqs}). {@code tmp/} holds
 * unfinished deliveries and is left alone. Blocking: runs on an import thread.
 */
public final class MaildirReader {

    private final Path root;
    private final char delimiter;
    private final String folderPrefix;

    /**
     * @param root         the Maildir (the directory holding {@code cur/}, {@code new/} and the folders)
     * @param delimiter    the node's IMAP hierarchy delimiter, used in the stored folder names
     * @param folderPrefix a folder under which everything lands (INBOX becomes the prefix itself), or empty
     */
    public MaildirReader(Path root, char delimiter, String folderPrefix) throws IOException {
        this.root = root.toRealPath();
        this.delimiter = delimiter;
        this.folderPrefix = folderPrefix == null ? "" : folderPrefix.strip();
        if (!Files.isDirectory(this.root)) {
            throw new IllegalArgumentException(root + " is not a directory");
        }
    }

    /** Hands every message and every skipped entry to {@code sink}, folder by folder. */
    public void read(ImportSink sink) throws IOException {
        List<Path> folders = new ArrayList<>();
        folders.add(root);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path p : dirs) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") && name.length() > 1 && !name.equals("..") && Files.isDirectory(p)) {
                    folders.add(p);
                }
            }
        }
        folders.subList(1, folders.size()).sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (Path dir : folders) {
            String origin = root.relativize(dir).toString();
            if (!inside(dir)) {
                sink.skipped(origin, "symbolic link pointing outside the Maildir: refused");
                continue;
            }
            String folder;
            try {
                folder = folderName(dir == root ? null : dir.getFileName().toString().substring(1));
            } catch (IllegalArgumentException e) {
                sink.skipped(origin, "folder name is not valid modified UTF-7: " + e.getMessage());
                continue;
            }
            readFolder(dir, folder, sink);
        }
    }

    private String folderName(String maildirName) {
        if (maildirName == null) {
            return folderPrefix.isEmpty() ? "INBOX" : folderPrefix;
        }
        List<String> parts = new ArrayList<>();
        for (String part : maildirName.split("\\.", -1)) {
            String decoded = ModifiedUtf7.decode(part);
            if (decoded.isEmpty() || decoded.indexOf(delimiter) >= 0) {
                throw new IllegalArgumentException("'" + part + "' is empty or holds the hierarchy delimiter "
                        + delimiter);
            }
            parts.add(decoded);
        }
        String name = String.join(String.valueOf(delimiter), parts);
        if (name.equalsIgnoreCase("INBOX")) {
            name = "INBOX";
        }
        return folderPrefix.isEmpty() ? name : folderPrefix + delimiter + name;
    }

    private void readFolder(Path dir, String folder, ImportSink sink) throws IOException {
        List<String> keywords = List.of();
        Path kw = dir.resolve("dovecot-keywords");
        if (Files.isRegularFile(kw) && inside(kw)) {
            try {
                keywords = MaildirFlags.keywords(Files.readAllLines(kw, StandardCharsets.UTF_8));
            } catch (IOException e) {
                sink.skipped(root.relativize(kw).toString(), "unreadable, keywords of " + folder
                        + " are not imported: " + e.getMessage());
            }
        }
        List<Path> files = new ArrayList<>();
        for (String sub : new String[] {"cur", "new"}) {
            Path d = dir.resolve(sub);
            if (!Files.isDirectory(d)) {
                continue;
            }
            if (!inside(d)) {
                sink.skipped(root.relativize(d).toString(), "symbolic link pointing outside the Maildir: refused");
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(d)) {
                entries.forEach(files::add);
            } catch (IOException e) {
                sink.skipped(root.relativize(d).toString(), "unreadable directory: " + e);
            }
        }
        // Maildir names start with the delivery time: name order is delivery order
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        DovecotUidList uids = uidList(dir, folder, sink);
        if (uids == null) {
            for (Path f : files) {
                file(f, folder, keywords, 0, null, sink);
            }
            return;
        }
        // messages Dovecot numbered, in UID order, then the folder's UIDNEXT, then the others (new UIDs)
        List<Path> numbered = new ArrayList<>();
        List<Path> unnumbered = new ArrayList<>();
        for (Path f : files) {
            (uids.uid(MaildirFlags.baseName(f.getFileName().toString())) > 0 ? numbered : unnumbered).add(f);
        }
        numbered.sort(Comparator.comparingLong(p -> uids.uid(MaildirFlags.baseName(p.getFileName().toString()))));
        sink.folderUids(folder, uids.uidValidity());
        FolderModseqs modseqs = FolderModseqs.read(dir, uids.uidValidity());
        sink.folderModseq(folder, modseqs.highestModseq(), modseqs.summary(), modseqs.problem());
        for (Path f : numbered) {
            file(f, folder, keywords, uids.uid(MaildirFlags.baseName(f.getFileName().toString())), modseqs, sink);
        }
        sink.folderUidNext(folder, uids.nextUid());
        for (Path f : unnumbered) {
            file(f, folder, keywords, 0, null, sink);
        }
    }

    /** The folder's {@code dovecot-uidlist}, its problems told to {@code sink}; null when absent or unusable. */
    private DovecotUidList uidList(Path dir, String folder, ImportSink sink) throws IOException {
        Path file = dir.resolve("dovecot-uidlist");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        String origin = root.relativize(file).toString();
        if (!inside(file)) {
            sink.note(origin, "symbolic link pointing outside the Maildir: not read; " + folder + " gets new UIDs");
            return null;
        }
        DovecotUidList list;
        try {
            list = DovecotUidList.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            sink.note(origin, "unreadable (" + e.getMessage() + "); " + folder + " gets new UIDs");
            return null;
        }
        for (String p : list.problems()) {
            sink.note(origin, p);
        }
        return list.uidValidity() > 0 ? list : null;
    }

    /** Hands one message file to {@code sink}; {@code modseqs} (may be null) gives its modseq in Dovecot. */
    private void file(Path f, String folder, List<String> keywords, long uid, FolderModseqs modseqs, ImportSink sink) {
        String origin = root.relativize(f).toString();
        try {
            if (!inside(f)) {
                sink.skipped(origin, "symbolic link pointing outside the Maildir: refused");
                return;
            }
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                sink.skipped(origin, "not a regular file");
                return;
            }
            if (!Files.isReadable(f)) {
                sink.skipped(origin, "unreadable: permission denied");
                return;
            }
            Instant date = a.lastModifiedTime().toInstant();
            Set<String> flags = MaildirFlags.of(f.getFileName().toString(), keywords);
            long modseq = modseqs == null || uid == 0 ? 0 : modseqs.modseq(uid, flags);
            sink.offer(new SourceMessage(folder, origin, date, flags, uid, modseq, out -> {
                try (InputStream in = Files.newInputStream(f)) {
                    in.transferTo(out);
                }
            }));
        } catch (IOException e) {
            sink.skipped(origin, "unreadable: " + e);
        }
    }

    /** True when {@code p}, symbolic links resolved, is within the Maildir. */
    private boolean inside(Path p) throws IOException {
        if (!Files.isSymbolicLink(p)) {
            return true;
        }
        try {
            return p.toRealPath().startsWith(root);
        } catch (IOException e) {
            return false; // a dangling link
        }
    }

}
