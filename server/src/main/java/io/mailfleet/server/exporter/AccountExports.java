package io.mailfleet.server.exporter;

import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.imap.ModifiedUtf7;
import io.mailfleet.core.mailbox.FolderInfo;
import io.mailfleet.core.mailbox.FolderSnapshot;
import io.mailfleet.core.mailbox.MailboxService;
import io.mailfleet.core.service.DirectoryService;
import io.mailfleet.server.importer.MailboxWait;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes an account's mail to files on this node, as a per-account backup or the way back to
 * Dovecot: a Maildir++ tree in docker-mailserver's layout ({@link MaildirFolderWriter}: UIDs in
 * {@code dovecot-uidlist}, flags in the file names, keywords in {@code dovecot-keywords}, folders as
 * {@code .Folder.Sub} in modified UTF-7, {@code subscriptions}), or one mboxrd file per folder
 * ({@link MboxFolderWriter}, {@code <dir>/<Folder>/<Sub>.mbox}). The target must not exist (it is
 * created readable by the node's user only) or be an empty directory. One export per account at a
 * time on this node. Blocking: call from a thread meant for it.
 */
public final class AccountExports {

    private static final long TIMEOUT_SECONDS = 60;

    private final MailboxService mailboxes;
    private final BlobStore blobs;
    private final DirectoryService directory;
    private final char delimiter;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public AccountExports(MailboxService mailboxes, BlobStore blobs, DirectoryService directory, char delimiter) {
        this.mailboxes = mailboxes;
        this.blobs = blobs;
        this.directory = directory;
        this.delimiter = delimiter;
    }

    /** Exports every folder of {@code account} as a Maildir tree rooted at {@code path}. */
    public ExportResult maildir(String account, Path path) throws IOException {
        return run(account, path, (a, root, skipped, totals) -> {
            StringBuilder subscriptions = new StringBuilder("V\t2\n\n");
            for (FolderInfo f : await(mailboxes.folders(a))) {
                List<String> levels = levels(f.name());
                if (f.subscribed() && !f.name().equals("INBOX")) {
                    subscriptions.append(String.join("\t", levels)).append('\n');
                }
                if (!f.exists()) {
                    continue;
                }
                Path dir;
                if (f.name().equals("INBOX")) {
                    dir = root;
                } else {
                    String bad = levels.stream().filter(l -> l.isEmpty() || l.indexOf('.') >= 0).findFirst().orElse(null);
                    if (bad != null) {
                        skipped.add(new ExportResult.Skip(f.name(), "a Maildir++ folder name level cannot hold '.'"
                                + " ('" + bad + "'); not exported"));
                        continue;
                    }
                    List<String> encoded = new ArrayList<>();
                    levels.forEach(l -> encoded.add(ModifiedUtf7.encode(l)));
                    dir = root.resolve("." + String.join(".", encoded));
                    Files.createDirectories(dir);
                    Files.createFile(dir.resolve("maildirfolder"));
                }
                FolderSnapshot snapshot = await(mailboxes.select(a, f.name(), false));
                long[] n = MaildirFolderWriter.write(dir, snapshot, m -> blobs.open(m.blob()), skipped);
                totals.add(n);
            }
            Files.writeString(root.resolve("subscriptions"), subscriptions, StandardCharsets.UTF_8);
        });
    }

    /** Exports every folder of {@code account} as one mboxrd file each under the directory {@code path}. */
    public ExportResult mbox(String account, Path path) throws IOException {
        return run(account, path, (a, root, skipped, totals) -> {
            for (FolderInfo f : await(mailboxes.folders(a))) {
                if (!f.exists()) {
                    continue;
                }
                List<String> levels = levels(f.name());
                String bad = levels.stream().filter(l -> l.isEmpty() || l.equals(".") || l.equals("..")
                        || l.indexOf('\0') >= 0 || l.indexOf('/') >= 0).findFirst().orElse(null);
                if (bad != null) {
                    skipped.add(new ExportResult.Skip(f.name(), "the name level '" + bad
                            + "' cannot be a file name; not exported"));
                    continue;
                }
                Path file = root;
                for (int i = 0; i < levels.size() - 1; i++) {
                    file = file.resolve(levels.get(i));
                }
                Files.createDirectories(file);
                file = file.resolve(levels.get(levels.size() - 1) + ".mbox");
                FolderSnapshot snapshot = await(mailboxes.select(a, f.name(), false));
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
                    totals.add(MboxFolderWriter.write(out, snapshot, m -> blobs.open(m.blob()), skipped));
                }
            }
        });
    }

    private List<String> levels(String name) {
        return List.of(name.split(Pattern.quote(String.valueOf(delimiter)), -1));
    }

    /** Running totals of an export. */
    private static final class Totals {
        int folders;
        long messages;
        long bytes;

        void add(long[] n) {
            folders++;
            messages += n[0];
            bytes += n[1];
        }
    }

    private interface Work {
        void write(String account, Path root, List<ExportResult.Skip> skipped, Totals totals) throws IOException;
    }

    private ExportResult run(String account, Path path, Work work) throws IOException {
        String a = account == null ? "" : account.strip().toLowerCase(Locale.ROOT);
        if (directory.view().account(a).isEmpty()) {
            throw new IllegalArgumentException("no account " + account + " on this server");
        }
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("the path must be absolute, got " + path);
        }
        Path root = path.normalize();
        if (Files.exists(root)) {
            if (!Files.isDirectory(root)) {
                throw new IllegalArgumentException(root + " exists and is not a directory");
            }
            try (Stream<Path> s = Files.list(root)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalArgumentException(root + " is not empty; export into a new or empty directory");
                }
            }
        } else {
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (!running.add(a)) {
            throw new IllegalStateException("an export of " + a + " is already running on this node");
        }
        Instant started = Instant.now();
        try {
            List<ExportResult.Skip> skipped = new ArrayList<>();
            Totals totals = new Totals();
            work.write(a, root, skipped, totals);
            return new ExportResult(a, root.toString(), totals.folders, totals.messages, totals.bytes, skipped,
                    Duration.between(started, Instant.now()));
        } finally {
            running.remove(a);
        }
    }

    private static <T> T await(CompletionStage<T> stage) {
        return MailboxWait.await(stage, TIMEOUT_SECONDS, "export");
    }
}
