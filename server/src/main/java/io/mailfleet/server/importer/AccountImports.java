package io.mailfleet.server.importer;

import io.mailfleet.cluster.imports.ClusterImportProgress;
import io.mailfleet.cluster.imports.ImportProgressEntity;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.mailbox.MailboxService;
import io.mailfleet.core.mime.HeaderLimits;
import io.mailfleet.core.service.DirectoryService;
import io.mailfleet.core.service.SieveScriptStore;
import io.mailfleet.core.sieve.SieveLimits;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs imports of mail on this node's files into accounts: checks the request (the account exists,
 * the path is absolute and of the right kind), allows one import per account at a time on this node,
 * and applies the node's limits (IMAP APPEND size limit, header limits, the account's quota).
 * Blocking: call from a thread meant for it.
 */
public final class AccountImports {

    /** The node's limits an import respects, as IMAP APPEND does. */
    public record Limits(long messageSize, HeaderLimits headers, boolean quotasEnabled, long defaultQuota,
                         char delimiter) {
    }

    /** How long an import waits for its progress record. */
    private static final long PROGRESS_TIMEOUT_SECONDS = 30;

    private final MailboxService mailboxes;
    private final BlobStore blobs;
    private final DirectoryService directory;
    private final Limits limits;
    private final Path spoolDir;
    private final SieveImport sieve;
    private final ClusterImportProgress progress;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    /**
     * @param spoolDir where messages fetched from a remote server larger than a few MB wait to be stored
     * @param progress where IMAP imports remember how far they got, null for nowhere (every run reads all)
     */
    public AccountImports(MailboxService mailboxes, BlobStore blobs, DirectoryService directory, Limits limits,
                          Path spoolDir, SieveScriptStore scripts, SieveLimits sieveLimits,
                          ClusterImportProgress progress) {
        this.progress = progress;
        this.sieve = new SieveImport(scripts, sieveLimits);
        this.mailboxes = mailboxes;
        this.blobs = blobs;
        this.directory = directory;
        this.limits = limits;
        this.spoolDir = spoolDir;
    }

    /**
     * Imports a Maildir tree with its {@code subscriptions} and, when it holds docker-mailserver's home
     * ({@code home/}), the Sieve scripts there; {@code folderPrefix} may be empty. A directory in
     * Dovecot's sdbox format ({@code mailboxes/}, docker-mailserver's {@code DOVECOT_MAILBOX_FORMAT=sdbox},
     * home in the directory itself) is read as such, and so is mdbox ({@code storage/} beside it).
     */
    public ImportResult maildir(String account, Path path, String folderPrefix) throws IOException {
        Path dir = absolute(path);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory");
        }
        boolean maildir = Files.isDirectory(dir.resolve("cur")) || Files.isDirectory(dir.resolve("new"));
        // DOVECOT_MAILBOX_FORMAT=sdbox|mdbox: the user's directory holds mailboxes/ (and mdbox storage/)
        boolean dbox = !maildir && SdboxReader.isDbox(dir);
        boolean mdbox = dbox && MdboxReader.isMdbox(dir);
        if (!maildir && !dbox) {
            throw new IllegalArgumentException(dir + " is not a Maildir: it has neither cur/ nor new/");
        }
        if (folderPrefix != null && !folderPrefix.isBlank() && folderPrefix.strip().equalsIgnoreCase("INBOX")) {
            folderPrefix = "";
        }
        Work read = mdbox ? new MdboxReader(dir, limits.delimiter(), folderPrefix)::read
                : dbox ? new SdboxReader(dir, limits.delimiter(), folderPrefix)::read
                : new MaildirReader(dir, limits.delimiter(), folderPrefix)::read;
        String prefix = folderPrefix == null ? "" : folderPrefix.strip();
        return run(account, importer -> {
            read.into(importer);
            Path subscriptions = dir.resolve("subscriptions");
            if (Files.isRegularFile(subscriptions) && !Files.isSymbolicLink(subscriptions)) {
                List<String> names = new ArrayList<>();
                for (String n : DovecotSubscriptions.parse(Files.readAllLines(subscriptions, StandardCharsets.UTF_8),
                        limits.delimiter())) {
                    names.add(prefix.isEmpty() ? n : n.equals("INBOX") ? prefix : prefix + limits.delimiter() + n);
                }
                importer.subscribe(names);
            }
            // docker-mailserver's home: home/ beside a Maildir, the user's directory itself with sdbox
            Path home = dbox ? dir : dir.resolve("home");
            if (Files.isDirectory(home) && !Files.isSymbolicLink(home)) {
                SieveImport.Outcome o = sieve.run(importer.result().account(), home, dir, importer);
                importer.sieve(o.stored(), o.active());
            }
        });
    }

    /** What an import of docker-mailserver's {@code /var/mail} did. */
    public record LayoutResult(List<ImportResult> accounts, List<String> notOnNode, List<ImportResult.Skip> failed,
                               List<String> withoutMail) {
        public LayoutResult {
            accounts = List.copyOf(accounts);
            notOnNode = List.copyOf(notOnNode);
            failed = List.copyOf(failed);
            withoutMail = List.copyOf(withoutMail);
        }
    }

    /**
     * Imports docker-mailserver's mail directory ({@code <root>/<domain>/<user>/}, each a Maildir with
     * its home in {@code home/}) into the accounts of the same address on this node, one after the
     * other; directories of addresses that are not accounts here are reported, not imported.
     */
    public LayoutResult dmsLayout(Path path) throws IOException {
        Path root = absolute(path);
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException(root + " is not a directory");
        }
        List<ImportResult> done = new ArrayList<>();
        List<String> notOnNode = new ArrayList<>();
        List<ImportResult.Skip> failed = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Path domain : sorted(root)) {
            if (!Files.isDirectory(domain) || Files.isSymbolicLink(domain)) {
                continue;
            }
            for (Path user : sorted(domain)) {
                if (!Files.isDirectory(user) || Files.isSymbolicLink(user)) {
                    continue;
                }
                String address = (user.getFileName() + "@" + domain.getFileName()).toLowerCase(Locale.ROOT);
                String where = root.relativize(user).toString();
                if (directory.view().account(address).isEmpty()) {
                    notOnNode.add(where);
                    continue;
                }
                seen.add(address);
                try {
                    done.add(maildir(address, user, ""));
                } catch (IOException | RuntimeException e) {
                    failed.add(new ImportResult.Skip(where, address + ": " + e.getMessage()));
                }
            }
        }
        List<String> withoutMail = new ArrayList<>();
        directory.view().accounts().forEach(a -> {
            if (!seen.contains(a.address())) {
                withoutMail.add(a.address());
            }
        });
        withoutMail.sort(null);
        return new LayoutResult(done, notOnNode, failed, withoutMail);
    }

    private static List<Path> sorted(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    /** Imports one mbox file into {@code folder}. */
    public ImportResult mbox(String account, Path path, String folder) throws IOException {
        Path file = absolute(path);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " is not a file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(file + " is not readable by the node");
        }
        if (folder == null || folder.isBlank()) {
            throw new IllegalArgumentException("a folder is required for an mbox import");
        }
        String f = folder.strip().equalsIgnoreCase("INBOX") ? "INBOX" : folder.strip();
        MboxReader reader = new MboxReader(file, f);
        return run(account, importer -> reader.read(importer));
    }

    /**
     * Copies every folder of a live IMAP account into {@code account}, folder names mapped onto the
     * local hierarchy; the remote is only read. A re-run reads each remote folder from where the last run
     * settled it (by UID), unless its UIDVALIDITY changed.
     */
    public ImportResult imap(String account, ImapSource source) throws IOException {
        return run(account, importer -> new ImapReader(source, limits.delimiter(), spoolDir,
                progress(account.strip().toLowerCase(Locale.ROOT), importer)).read(importer));
    }

    /** The account's IMAP import marks; a failure to read or write them only costs reading messages again. */
    private ImapReader.Progress progress(String account, MailImporter importer) {
        if (progress == null) {
            return ImapReader.Progress.NONE;
        }
        Map<String, ImportProgressEntity.Mark> marks;
        try {
            marks = await(progress.marks(account));
        } catch (RuntimeException e) {
            importer.note("import progress", "cannot be read (" + e.getMessage() + "): every folder is read whole;"
                    + " messages already imported are recognised by their content");
            return ImapReader.Progress.NONE;
        }
        return new ImapReader.Progress() {
            private boolean reported;

            @Override
            public ImapReader.Mark mark(String folderKey) {
                ImportProgressEntity.Mark m = marks.get(folderKey);
                return m == null ? null : new ImapReader.Mark(m.uidValidity(), m.uid());
            }

            @Override
            public void advance(String folderKey, long uidValidity, long uid) {
                try {
                    await(progress.advance(account, folderKey, uidValidity, uid));
                } catch (RuntimeException e) {
                    if (!reported) {
                        reported = true;
                        importer.note(folderKey, "how far the import got cannot be recorded (" + e.getMessage()
                                + "): a re-run reads these messages again and recognises them by their content");
                    }
                }
            }
        };
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(PROGRESS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within " + PROGRESS_TIMEOUT_SECONDS + " s", e);
        }
    }

    private interface Work {
        void into(MailImporter importer) throws IOException;
    }

    private ImportResult run(String account, Work work) throws IOException {
        String a = account == null ? "" : account.strip().toLowerCase(Locale.ROOT);
        if (directory.view().account(a).isEmpty()) {
            throw new IllegalArgumentException("no account " + account + " on this server");
        }
        if (!running.add(a)) {
            throw new IllegalStateException("an import into " + a + " is already running on this node");
        }
        try {
            long quota = limits.quotasEnabled() ? directory.view().effectiveQuota(a, limits.defaultQuota()) : 0;
            try (MailImporter importer = new MailImporter(mailboxes, blobs, a, limits.messageSize(), limits.headers(),
                    Math.max(0, quota), limits.delimiter())) {
                try {
                    work.into(importer);
                } catch (IOException | RuntimeException e) {
                    // what was read before the failure is stored: append it, so the summary of a re-run stays small
                    try {
                        importer.flush();
                    } catch (RuntimeException again) {
                        e.addSuppressed(again);
                    }
                    throw e;
                }
                return importer.result();
            }
        } finally {
            running.remove(a);
        }
    }

    private static Path absolute(Path p) {
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException("the path must be absolute, got " + p);
        }
        return p.normalize();
    }
}
