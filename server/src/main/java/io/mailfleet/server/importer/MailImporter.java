package io.mailfleet.server.importer;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.mailbox.AppendResult;
import io.mailfleet.core.mailbox.FolderInfo;
import io.mailfleet.core.mailbox.FolderSnapshot;
import io.mailfleet.core.mailbox.FolderUids;
import io.mailfleet.core.mailbox.ImportedMessage;
import io.mailfleet.core.mailbox.MailboxException;
import io.mailfleet.core.mailbox.MailboxService;
import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.core.mime.BodyPart;
import io.mailfleet.core.mime.HeaderLimits;
import io.mailfleet.core.mime.MessageParser;
import io.mailfleet.core.mime.MessageSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Imports the messages a source reader finds into one account, through the mailbox service like an
 * IMAP APPEND: bytes to the blob store first, then the append with flags and internal date.
 *
 * <p>In batches: each message is read from its source once (one that is larger than {@link #HOLD_LIMIT}
 * twice, streamed: it is never held whole), checked, hashed and, held in memory, parsed for its summary;
 * its blob is committed without waiting, so the blob store makes a whole batch durable with one
 * fsync, and a batch of one folder is appended with one mailbox command, one journal write
 * ({@link MailboxService#importAppendAll}), once all its blobs are durable, while the next batch is
 * read (at most one batch is on its way). Writing a held message to the blob store and parsing it run
 * on a thread of the importer's own beside the one reading the source (two cores: about half each).
 *
 * <p>Idempotent without extra state: a message whose stored bytes (SHA-256) are already in the target
 * folder is not imported again, so re-running after a finished, failed or killed run adds exactly
 * what is missing: a batch is appended whole or not at all, and only after its blobs are durable
 * (blobs of a batch lost to a crash are unreferenced and collected). Messages that break the size or
 * header limits, the quota, or are not mail are reported and skipped.
 *
 * <p>Outcomes: {@link #offer} batches and answers nothing (readers that record no progress: Maildir,
 * sdbox, mdbox, mbox); {@link #message} appends what it was handed, and what is still in a batch, before
 * it returns, so the {@link Outcome} it answers is durable (the IMAP reader records resume marks from it).
 *
 * <p>UIDs: when the source names the UIDs of a folder ({@link #folderUids}), a folder without messages
 * takes the source's UIDVALIDITY and each message its UID, so clients that cached them before the move
 * keep their caches; a folder that already holds messages under another UIDVALIDITY is never
 * renumbered: its imported messages get new UIDs, and the summary says so. A re-run finds the folder
 * under the source's UIDVALIDITY and goes on keeping UIDs. A message that keeps its UID keeps also
 * its modseq in the source ({@link SourceMessage#modseq()}, never below the folder's floor, see
 * {@link #folderUids}), and {@link #folderModseq} raises the folder's HIGHESTMODSEQ to the source's.
 *
 * <p>Blocking: one instance per run, on a thread of its own (never an actor or event-loop thread).
 */
public final class MailImporter implements ImportSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MailImporter.class);
    private static final long TIMEOUT_SECONDS = 60;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    /** Messages up to this size are read once and parsed from memory; larger ones are streamed twice. */
    static final int HOLD_LIMIT = 1024 * 1024;
    /** A batch is appended once it has this many messages ... */
    static final int BATCH_MESSAGES = 500;
    /** ... or this many message bytes (what waits in memory for the blob store and the batch's fsync). */
    static final long BATCH_BYTES = 16L * 1024 * 1024;
    /**
     * A batch is appended in parts of at most this estimated event size: each part is one journal
     * event, and the embedded H2 journal keeps an event in a row of at most 1,000,000 bytes (also well
     * below the cluster's 4 MiB frame).
     */
    static final long BATCH_EVENT_WEIGHT = 600 * 1024;

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
    /** Messages whose blobs are committing, all of {@link #batchFolder}, in source order. */
    private final List<Pending> batch = new ArrayList<>();
    private String batchFolder;
    private long batchBytes;
    /** Writes held messages to the blob store and parses them, beside the thread that reads the source. */
    private final ExecutorService storer;

    /** The batch being appended, null when none is. */
    private InFlight inFlight;
    /** The message {@link #message} waits for, and what became of it once its batch is collected. */
    private Pending awaited;
    /** The message {@link #importOne} put in a batch last. */
    private Pending lastTaken;
    private Outcome awaitedOutcome;

    /** A batch on its way into the mailbox: per message its uid, or why it was not stored. */
    private record InFlight(String folder, List<Pending> pending, CompletableFuture<List<Appended>> appended) {
    }

    /** A message on its way: being stored (see {@link Stored}), in source order. */
    private record Pending(SourceMessage source, CompletableFuture<Stored> stored, long size, String sha256) {
    }

    /** A message written to the blob store (committing) with its summary (null when too large to hold), or why not. */
    private record Stored(CompletionStage<BlobRef> blob, MessageSummary summary, String failed) {
    }

    /** What became of a message of an append: its uid, or the reason it was skipped. */
    private record Appended(AppendResult result, String skipped) {
    }

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
        this.storer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mailfleet-import-store");
            t.setDaemon(true);
            return t;
        });
        this.used = await(mailboxes.usage(account)).bytes();
        for (FolderInfo f : await(mailboxes.folders(account))) {
            if (f.exists()) {
                existingFolders.add(f.name());
            }
        }
    }

    /** The report of everything handed to this importer so far (appending what is still in a batch first). */
    public ImportResult result() {
        flush();
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
        flush();
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
        flush();
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
        flush();
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
        flush();
        if (keptUidNext.containsKey(folder) && uidNext > 0) {
            keptUidNext.put(folder, await(mailboxes.importUids(account, folder, 0, uidNext)).uidNext());
        }
    }

    @Override
    public void settledBefore(String folder, long messages) {
        present += messages;
    }

    /** Takes the message into a batch: stored later, with the batch; problems are reported as skipped. */
    @Override
    public void offer(SourceMessage m) {
        take(m);
        progress();
    }

    /**
     * Stores the message and appends it (with what is still in a batch) before it answers: IMPORTED and
     * PRESENT are durable when this returns.
     */
    @Override
    public Outcome message(SourceMessage m) {
        flush(); // what was offered before is durable, so PRESENT below is durable too
        Outcome outcome = take(m);
        if (outcome == null) {
            awaited = lastTaken; // its batch may be on its way already (a message over BATCH_BYTES sends it)
            try {
                flush();
                outcome = awaitedOutcome;
            } catch (MailboxException e) {
                skipped(m.origin(), "refused by the mailbox (" + e.code() + "): " + e.getMessage());
                outcome = Outcome.FAILED;
            } finally {
                awaited = null;
                awaitedOutcome = null;
            }
            if (outcome == null) { // collected by an earlier append already: cannot be, but never claim it stored
                outcome = Outcome.FAILED;
            }
        }
        progress();
        return outcome;
    }

    /** What became of the message when known now; null when it is on its way in a batch ({@link #lastTaken}). */
    private Outcome take(SourceMessage m) {
        try {
            return importOne(m);
        } catch (MailboxException e) {
            skipped(m.origin(), "refused by the mailbox (" + e.code() + "): " + e.getMessage());
            return Outcome.FAILED;
        } catch (MessageOutput.TooLarge e) {
            skipped(m.origin(), e.getMessage());
            return Outcome.REFUSED;
        } catch (IOException e) {
            skipped(m.origin(), "unreadable: " + e.getMessage());
            return Outcome.FAILED;
        }
    }

    private Outcome importOne(SourceMessage m) throws IOException {
        MessageOutput look = MessageOutput.holding(sizeLimit, headerLimits, HOLD_LIMIT);
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
        if (batchFolder != null && !batchFolder.equals(m.folder())) {
            flush();
        }
        Set<String> known = stored(m.folder());
        if (known.contains(seen.sha256())) {
            present++;
            return Outcome.PRESENT;
        }
        if (quota > 0 && used + seen.size() > quota) {
            skipped(m.origin(), "over quota: the account uses " + used + " of " + quota + " bytes, the message has "
                    + seen.size());
            return Outcome.FAILED;
        }
        byte[] held = look.held();
        CompletableFuture<Stored> stored;
        if (held != null) {
            int length = (int) seen.size();
            stored = CompletableFuture.supplyAsync(() -> store(held, length), storer);
        } else {
            try (BlobWriter w = blobs.create()) {
                MessageOutput out = new MessageOutput(sizeLimit, headerLimits, w);
                m.bytes().copyTo(out);
                MessageOutput.Seen written = out.finish();
                if (!written.sha256().equals(seen.sha256())) {
                    w.abort();
                    skipped(m.origin(), "changed while it was being imported; run the import again");
                    return Outcome.FAILED;
                }
                stored = CompletableFuture.completedFuture(new Stored(w.commit(), null, null));
            }
        }
        lastTaken = new Pending(m, stored, seen.size(), seen.sha256());
        batch.add(lastTaken);
        batchFolder = m.folder();
        batchBytes += seen.size();
        known.add(seen.sha256());
        used += seen.size();
        if (batch.size() >= BATCH_MESSAGES || batchBytes >= BATCH_BYTES) {
            send();
        }
        return null;
    }

    /**
     * On the storer thread: writes a held message to a new blob and commits it without waiting (the
     * blob store makes the batch durable with one fsync), then parses it for its summary.
     */
    private Stored store(byte[] bytes, int length) {
        BlobWriter w = null;
        try {
            w = blobs.create();
            w.write(bytes, 0, length);
            CompletionStage<BlobRef> ref = w.commit();
            return new Stored(ref, parse(bytes, length), null);
        } catch (IOException | RuntimeException e) {
            if (w != null) {
                w.abort();
            }
            return new Stored(null, null, "unreadable: " + e.getMessage());
        }
    }

    /** The summary of a message held in memory; null (parsed from the blob later) if the parser fails. */
    private static MessageSummary parse(byte[] bytes, int length) {
        try {
            return MessageParser.parse(new ByteArrayInputStream(bytes, 0, length));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * At least how many bytes a message adds to the batch's event: its metadata, and the summary's
     * strings, which are header values (the envelope repeats From as Sender and Reply-To, the top
     * part's parameters come from the same header), and a fixed share per MIME part.
     */
    static long weight(MessageSummary summary, long size) {
        if (summary == null) { // parsed later, by the mailbox service: assume the worst a header may hold
            return 256 + 4L * Math.min(size, 128 * 1024);
        }
        return 256 + 4 * summary.headerEnd() + weight(summary.body());
    }

    private static long weight(BodyPart p) {
        long w = 256 + (p.headerStart() > 0 ? 2 * (p.bodyStart() - p.headerStart()) : 0);
        for (BodyPart c : p.parts()) {
            w += weight(c);
        }
        if (p.message() != null) {
            w += weight(p.message());
        }
        return w;
    }

    /** Appends the batch and waits for it: afterwards everything handed over so far is in the mailbox. */
    void flush() {
        send();
        collect();
    }

    /**
     * Starts the append of the batch once its messages are stored and their blobs durable, keeping the
     * source UIDs where the folder's are kept, and returns: the next batch is read meanwhile. At most
     * one batch is on its way, so the previous one is collected first (appends stay in source order,
     * memory stays bounded).
     */
    private void send() {
        if (batch.isEmpty()) {
            return;
        }
        collect();
        String folder = batchFolder;
        List<Pending> pending = List.copyOf(batch);
        batch.clear();
        batchFolder = null;
        batchBytes = 0;
        boolean keepUids = keptUidNext.containsKey(folder);
        long floor = modseqFloor.getOrDefault(folder, 0L);
        CompletableFuture<List<Appended>> appended = CompletableFuture
                .allOf(pending.stream().map(Pending::stored).toArray(CompletableFuture[]::new))
                .thenCompose(v -> CompletableFuture.allOf(pending.stream().map(p -> p.stored().join())
                        .filter(st -> st.failed() == null).map(st -> st.blob().toCompletableFuture())
                        .toArray(CompletableFuture[]::new)))
                .thenCompose(v -> append(folder, pending, keepUids, floor));
        inFlight = new InFlight(folder, pending, appended);
    }

    /**
     * Appends the stored messages of a batch in parts of at most {@link #BATCH_EVENT_WEIGHT}, in order;
     * where UIDs are kept, each message names its source UID and modseq (raised to {@code modseqFloor}).
     */
    private CompletableFuture<List<Appended>> append(String folder, List<Pending> pending, boolean keepUids,
                                                     long modseqFloor) {
        Appended[] outcomes = new Appended[pending.size()];
        List<List<Integer>> parts = new ArrayList<>();
        List<Integer> part = new ArrayList<>();
        long weight = 0;
        for (int i = 0; i < pending.size(); i++) {
            Stored st = pending.get(i).stored().join();
            if (st.failed() != null) {
                outcomes[i] = new Appended(null, st.failed());
                continue;
            }
            long w = weight(st.summary(), pending.get(i).size());
            if (!part.isEmpty() && weight + w > BATCH_EVENT_WEIGHT) {
                parts.add(part);
                part = new ArrayList<>();
                weight = 0;
            }
            part.add(i);
            weight += w;
        }
        if (!part.isEmpty()) {
            parts.add(part);
        }
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (List<Integer> indexes : parts) {
            List<ImportedMessage> messages = new ArrayList<>(indexes.size());
            for (int i : indexes) {
                SourceMessage m = pending.get(i).source();
                Stored st = pending.get(i).stored().join();
                long uid = keepUids ? m.uid() : 0;
                long modseq = uid > 0 && m.modseq() > 0 ? Math.max(m.modseq(), modseqFloor) : 0;
                messages.add(new ImportedMessage(st.blob().toCompletableFuture().join(),
                        m.internalDate() != null ? m.internalDate() : Instant.now(), m.flags(), uid, modseq,
                        st.summary()));
            }
            chain = chain.thenCompose(v -> mailboxes.importAppendAll(account, folder, messages).<Void>handle((results, err) -> {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                if (cause != null && !(cause instanceof MailboxException)) {
                    throw new CompletionException(cause);
                }
                for (int k = 0; k < indexes.size(); k++) {
                    outcomes[indexes.get(k)] = cause == null ? new Appended(results.get(k), null)
                            : new Appended(null, "refused by the mailbox (" + ((MailboxException) cause).code() + "): "
                            + cause.getMessage());
                }
                return null;
            }));
        }
        return chain.thenApply(v -> List.of(outcomes));
    }

    /** Waits for the batch on its way and counts it; messages that were not stored are reported as skipped. */
    private void collect() {
        if (inFlight == null) {
            return;
        }
        InFlight f = inFlight;
        inFlight = null;
        List<Appended> outcomes = await(f.appended());
        for (int i = 0; i < f.pending().size(); i++) {
            Pending p = f.pending().get(i);
            Appended o = outcomes.get(i);
            if (p == awaited) {
                awaitedOutcome = o.skipped() != null ? Outcome.FAILED : Outcome.IMPORTED;
            }
            if (o.skipped() != null) {
                skipped(p.source().origin(), o.skipped());
                storedByFolder.get(f.folder()).remove(p.sha256());
                used -= p.size();
                continue;
            }
            imported++;
            bytes += p.size();
            if (keptUidNext.containsKey(f.folder())) {
                long wanted = p.source().uid();
                if (wanted > 0 && o.result().uid() == wanted) {
                    uidsKept++;
                } else if (wanted > 0) {
                    note(p.source().origin(), "uid " + wanted + " is taken in " + f.folder() + "; imported as uid "
                            + o.result().uid());
                }
                keptUidNext.put(f.folder(), o.result().uid() + 1);
            }
        }
    }

    /** Stops the storer thread; call after {@link #result()}. */
    @Override
    public void close() {
        storer.shutdown();
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
        return MailboxWait.await(stage, TIMEOUT_SECONDS, "import");
    }
}
