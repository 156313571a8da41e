package io.mailfleet.server.importer;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.mailbox.AppendResult;
import io.mailfleet.core.mailbox.FolderInfo;
import io.mailfleet.core.mailbox.FolderSnapshot;
import io.mailfleet.core.mailbox.FolderUids;
import io.mailfleet.core.mailbox.MailboxException;
import io.mailfleet.core.mailbox.MailboxService;
import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.core.mime.HeaderLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Imports the messages a source reader finds into one account, through the mailbox service like an
 * IMAP APPEND: bytes to the blob store first, then the append with flags and internal date.
 *
 * <p>Idempotent without extra state: a message whose stored bytes (SHA-256) are already in the target
 * folder is not imported again, so re-running after a finished, failed or killed run adds exactly
 * what is missing (every append is durable before the next one starts). Messages that break the
 * size or header limits, the quota, or are not mail are reported and skipped.
 *
 * <p>UIDs: when the source names the UIDs of a folder ({@link #folderUids}), a folder without messages
 * takes the source's UIDVALIDITY and each message its UID, so clients that cached them before the move
 * keep their caches; a folder that already holds messages under another UIDVALIDITY is never
 * renumbered: its imported messages get new UIDs, and the summary says so. A re-run finds the folder
 * under the source's UIDVALIDITY and goes on keeping UIDs.
 *
 * <p>Blocking: one instance per run, on a thread of its own (never an actor or event-loop thread).
 */
public final class MailImporter implements ImportSink {

    private static final Logger LOG = LoggerFactory.getLogger(MailImporter.class);
    private static final long TIMEOUT_SECONDS = 60;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private final MailboxService mailboxes;
    private final BlobStore blobs;
    private final String account;
    private final long sizeLimit;
    private final HeaderLimits headerLimits;
    private final long quota;
    private final char delimiter;
    private final Instant started = Instant.now();
    private final Map<String, Set<String>> storedByFolder = new HashMap<>();
    private final List<ImportResult.Skip> skipped = new ArrayList<>();
    private final List<String> created = new ArrayList<>();
    private final List<ImportResult.Skip> notes = new ArrayList<>();
    /** Folders whose source UIDs are kept, with the lowest UID the next import append may take. */
    private final Map<String, Long> keptUidNext = new HashMap<>();
    /** Folders whose UIDs are kept: the lowest modseq an imported message may keep from the source. */
    private final Map<String, Long> modseqFloor = new HashMap<>();
    private final List<ImportResult.Skip> condstore = new ArrayList<>();
    private final Map<String, FolderSnapshot> opened = new HashMap<>();
    private final Set<String> existingFolders = new HashSet<>();
    private long used;
    private long imported;
    private long bytes;
    private long present;
    private long uidsKept;
    private final List<String> subscribed = new ArrayList<>();
    private final List<String> sieveScripts = new ArrayList<>();
    private String sieveActive;
    private Instant lastProgress = started;

    /**
     * @param quota the account's quota in bytes, 0 for none
     */
    public MailImporter(MailboxService mailboxes, BlobStore blobs, String account, long sizeLimit,
                        HeaderLimits headerLimits, long quota, char delimiter) throws IOException {
        this.mailboxes = mailboxes;
        this.blobs = blobs;
        this.account = account;
        this.sizeLimit = sizeLimit;
        this.headerLimits = headerLimits;
        this.quota = quota;
        this.delimiter = delimiter;
        this.used = await(mailboxes.usage(account)).bytes();
        for (FolderInfo f : await(mailboxes.folders(account))) {
            if (f.exists()) {
                existingFolders.add(f.name());
            }
        }
    }

    /** The report of everything handed to this importer so far. */
    public ImportResult result() {
        return new ImportResult(account, imported, bytes, present, skipped, created, uidsKept, notes, subscribed, sieveScripts, sieveActive,
                condstore, Duration.between(started, Instant.now()));
    }

    @Override
    public void skipped(String origin, String reason) {
        skipped.add(new ImportResult.Skip(origin, reason));
        LOG.info("import into {}: skipped {}: {}", account, origin, reason);
    }

    /** Subscribes the account to {@code names} (IMAP subscriptions survive a folder that does not exist). */
    public void subscribe(List<String> names) {
        for (String n : names) {
            await(mailboxes.subscribe(account, n, true));
            subscribed.add(n);
        }
    }

    /** Records the Sieve scripts stored for the account and the active one, for the summary. */
    void sieve(List<String> stored, String active) {
        sieveScripts.addAll(stored);
        sieveActive = active;
    }

    @Override
    public void note(String origin, String text) {
        notes.add(new ImportResult.Skip(origin, text));
        LOG.info("import into {}: {}: {}", account, origin, text);
    }

    @Override
    public void folderUids(String folder, long uidValidity) {
        stored(folder);
        FolderSnapshot f = opened.get(folder);
        if (!f.messages().isEmpty() && f.uidValidity() != uidValidity) {
            note(folder, "already holds " + f.messages().size() + " message(s) under UIDVALIDITY " + f.uidValidity()
                    + " (the source's is " + uidValidity + "); they keep their UIDs and the imported messages get"
                    + " new ones, so clients download this folder again");
            return;
        }
        FolderUids u = await(mailboxes.importUids(account, folder, uidValidity, 0));
        if (u.uidValidity() != uidValidity) {
            note(folder, "a message arrived in the folder during the import; the imported messages get new UIDs"
                    + " under UIDVALIDITY " + u.uidValidity());
            return;
        }
        keptUidNext.put(folder, u.uidNext());
        // a folder that just took the source's UIDVALIDITY is new to every client of ours: the source's
        // modseqs are kept as they are; in one that already had it (a re-run) imported messages go above
        // what a client of ours may have seen, so they are never missed by CHANGEDSINCE
        modseqFloor.put(folder, u.adopted() ? 0 : f.highestModseq() + 1);
    }

    @Override
    public void folderModseq(String folder, long highestModseq, String summary, String problem) {
        if (!keptUidNext.containsKey(folder) || highestModseq <= 0) {
            return; // renumbered: clients download the folder again, whatever they cached
        }
        if (problem != null) {
            note(folder, problem);
        }
        await(mailboxes.importModseq(account, folder, highestModseq));
        condstore.add(new ImportResult.Skip(folder, summary));
        LOG.info("import into {}: {}: {}", account, folder, summary);
    }

    @Override
    public void folderUidNext(String folder, long uidNext) {
        if (keptUidNext.containsKey(folder) && uidNext > 0) {
            keptUidNext.put(folder, await(mailboxes.importUids(account, folder, 0, uidNext)).uidNext());
        }
    }

    @Override
    public void settledBefore(String folder, long messages) {
        present += messages;
    }

    @Override
    public Outcome message(SourceMessage m) {
        Outcome outcome;
        try {
            outcome = importOne(m);
        } catch (MailboxException e) {
            skipped(m.origin(), "refused by the mailbox (" + e.code() + "): " + e.getMessage());
            outcome = Outcome.FAILED;
        } catch (MessageOutput.TooLarge e) {
            skipped(m.origin(), e.getMessage());
            outcome = Outcome.REFUSED;
        } catch (IOException e) {
            skipped(m.origin(), "unreadable: " + e.getMessage());
            outcome = Outcome.FAILED;
        }
        progress();
        return outcome;
    }

    private Outcome importOne(SourceMessage m) throws IOException {
        MessageOutput look = new MessageOutput(sizeLimit, headerLimits, null);
        m.bytes().copyTo(look);
        MessageOutput.Seen seen = look.finish();
        if (seen.size() == 0) {
            skipped(m.origin(), "empty (0 bytes)");
            return Outcome.REFUSED;
        }
        if (!seen.startsWithField()) {
            skipped(m.origin(), "not a mail message: the first line is not a header field");
            return Outcome.REFUSED;
        }
        if (seen.headerTooLarge()) {
            skipped(m.origin(), "the header breaks the header limits (" + headerLimits.maxHeaderBytes()
                    + " bytes, lines of " + headerLimits.maxLineLength() + ")");
            return Outcome.REFUSED;
        }
        Set<String> stored = stored(m.folder());
        if (stored.contains(seen.sha256())) {
            present++;
            return Outcome.PRESENT;
        }
        if (quota > 0 && used + seen.size() > quota) {
            skipped(m.origin(), "over quota: the account uses " + used + " of " + quota + " bytes, the message has "
                    + seen.size());
            return Outcome.FAILED;
        }
        BlobRef ref;
        try (BlobWriter w = blobs.create()) {
            MessageOutput out = new MessageOutput(sizeLimit, headerLimits, w);
            m.bytes().copyTo(out);
            MessageOutput.Seen written = out.finish();
            if (!written.sha256().equals(seen.sha256())) {
                w.abort();
                skipped(m.origin(), "changed while it was being imported; run the import again");
                return Outcome.FAILED;
            }
            ref = await(w.commit());
        }
        append(m, ref);
        stored.add(seen.sha256());
        used += seen.size();
        imported++;
        bytes += seen.size();
        return Outcome.IMPORTED;
    }

    /** Appends under the source's UID where it is kept and still free, otherwise under a new one. */
    private void append(SourceMessage m, BlobRef ref) {
        Instant date = m.internalDate() != null ? m.internalDate() : Instant.now();
        Long next = keptUidNext.get(m.folder());
        if (next != null && m.uid() > 0) {
            if (m.uid() >= next) {
                try {
                    long modseq = m.modseq() > 0 ? Math.max(m.modseq(), modseqFloor.getOrDefault(m.folder(), 0L)) : 0;
                    AppendResult r = await(mailboxes.appendWithUid(account, m.folder(), ref, date, m.flags(), m.uid(),
                            modseq));
                    keptUidNext.put(m.folder(), r.uid() + 1);
                    uidsKept++;
                    return;
                } catch (MailboxException e) {
                    if (!"UIDTAKEN".equals(e.code())) {
                        throw e;
                    }
                }
            }
            AppendResult r = await(mailboxes.append(account, m.folder(), ref, date, m.flags()));
            keptUidNext.put(m.folder(), r.uid() + 1);
            note(m.origin(), "uid " + m.uid() + " is taken in " + m.folder() + "; imported as uid " + r.uid());
            return;
        }
        AppendResult r = await(mailboxes.append(account, m.folder(), ref, date, m.flags()));
        if (next != null) {
            keptUidNext.put(m.folder(), r.uid() + 1);
        }
    }

    /** The hashes of the folder's messages, creating the folder (and its parents) on first use. */
    private Set<String> stored(String folder) {
        Set<String> known = storedByFolder.get(folder);
        if (known != null) {
            return known;
        }
        if (!existingFolders.contains(folder)) {
            List<String> chain = new ArrayList<>();
            String[] parts = folder.split(java.util.regex.Pattern.quote(String.valueOf(delimiter)));
            StringBuilder name = new StringBuilder();
            for (String p : parts) {
                if (name.length() > 0) {
                    name.append(delimiter);
                }
                name.append(p);
                if (!existingFolders.contains(name.toString())) {
                    chain.add(name.toString());
                }
            }
            await(mailboxes.create(account, chain, chain.size() == 1 ? SpecialUse.of(folder) : null));
            existingFolders.addAll(chain);
            created.addAll(chain);
            LOG.info("import into {}: created folder(s) {}", account, chain);
        }
        known = new HashSet<>();
        FolderSnapshot snapshot = await(mailboxes.select(account, folder, false));
        opened.put(folder, snapshot);
        for (MessageView v : snapshot.messages()) {
            known.add(v.blob().sha256());
        }
        storedByFolder.put(folder, known);
        return known;
    }

    private void progress() {
        Instant now = Instant.now();
        if (Duration.between(lastProgress, now).compareTo(PROGRESS_EVERY) >= 0) {
            lastProgress = now;
            LOG.info("import into {}: {} message(s), {} bytes imported, {} already there, {} skipped so far",
                    account, imported, bytes, present, skipped.size());
        }
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("import interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MailboxException me) {
                throw me;
            }
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the mailbox did not answer within " + TIMEOUT_SECONDS + " s", e);
        }
    }
}
