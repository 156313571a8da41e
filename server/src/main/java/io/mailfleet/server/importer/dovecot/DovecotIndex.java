package io.mailfleet.server.importer.dovecot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What Dovecot's binary index files of one mailbox say about its CONDSTORE state: UIDVALIDITY, next
 * UID, HIGHESTMODSEQ, and each message's flags, keywords and modseq. Read from {@code dovecot.index}
 * (when there is one) with the transaction logs {@code dovecot.index.log.2} and
 * {@code dovecot.index.log} replayed on top, as Dovecot itself opens a mailbox.
 *
 * <p>The modseqs are never below Dovecot's: where a log file is missing between the index and the
 * newest log, the messages the gap could have changed get the modseq at which the next file starts
 * (an upper bound), and the read says so ({@link #exact()}). HIGHESTMODSEQ is the log's running
 * counter, which is exact as long as the newest log file is readable. A file that cannot be read
 * (truncated header, unknown version, an offset outside the file, a corrupt log record) makes the
 * whole read {@link #usable() unusable} with the reason; the caller then falls back.
 *
 * <p>Bounded: files above {@link #MAX_FILE_BYTES} are not read; every offset and count in them is
 * checked before use, and a range of UIDs touches only the messages that exist.
 */
public final class DovecotIndex {

    /** Larger index or log files are refused (a 1,000,000-message index is about 50 MB, a log rotates at 1 MB). */
    public static final long MAX_FILE_BYTES = 128L * 1024 * 1024;
    static final String INDEX = "dovecot.index";
    static final String LOG = "dovecot.index.log";
    static final String OLD_LOG = "dovecot.index.log.2";

    /** One message: its IMAP flags (system flags and keywords), modseq, and the extension data asked for. */
    public record Message(long uid, Set<String> flags, long modseq, Map<String, byte[]> extensions) {
        public Message {
            flags = Collections.unmodifiableSet(new LinkedHashSet<>(flags));
            extensions = Map.copyOf(extensions);
        }

        /** The unsigned 32-bit value at {@code offset} of extension {@code name}'s record data, or -1. */
        public long extU32(String name, int offset) {
            byte[] d = extensions.get(name);
            return d == null || offset < 0 || offset + 4 > d.length ? -1 : Le.u32(d, offset);
        }
    }

    private final boolean usable;
    private final String problem;
    private final boolean exact;
    private final List<String> notes;
    private final long uidValidity;
    private final long nextUid;
    private final long highestModseq;
    private final Map<Long, Message> messages;

    private DovecotIndex(boolean usable, String problem, boolean exact, List<String> notes, long uidValidity,
                         long nextUid, long highestModseq, Map<Long, Message> messages) {
        this.usable = usable;
        this.problem = problem;
        this.exact = exact;
        this.notes = List.copyOf(notes);
        this.uidValidity = uidValidity;
        this.nextUid = nextUid;
        this.highestModseq = highestModseq;
        this.messages = Collections.unmodifiableMap(messages);
    }

    /** Whether any index file exists in {@code dir}. */
    public static boolean present(Path dir) {
        return Files.exists(dir.resolve(INDEX), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(dir.resolve(LOG), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(dir.resolve(OLD_LOG), LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether the files could be read; when false, {@link #problem()} says why. */
    public boolean usable() {
        return usable;
    }

    /** Why the files are not usable: the file and what is wrong with it; null when usable. */
    public String problem() {
        return problem;
    }

    /** False when a log file was missing and some modseqs are upper bounds rather than Dovecot's values. */
    public boolean exact() {
        return exact;
    }

    /** Things the read noticed that did not make it unusable (a log of another index, a gap). */
    public List<String> notes() {
        return notes;
    }

    public long uidValidity() {
        return uidValidity;
    }

    public long nextUid() {
        return nextUid;
    }

    /** The mailbox's HIGHESTMODSEQ as Dovecot would report it (at least 1 when usable). */
    public long highestModseq() {
        return highestModseq;
    }

    /** The messages by UID, in UID order. */
    public Map<Long, Message> messages() {
        return messages;
    }

    /** The message with {@code uid}, or null. */
    public Message message(long uid) {
        return messages.get(uid);
    }

    /** Reads the index files of the mailbox directory {@code dir}; never throws for what the files hold. */
    public static DovecotIndex read(Path dir) {
        return read(dir, INDEX, Set.of());
    }

    /**
     * Reads the index files {@code <base>}, {@code <base>.log.2} and {@code <base>.log} in {@code dir}
     * (mdbox's map is {@code dovecot.map.index}), keeping each message's record data of the extensions
     * {@code wanted}; never throws for what the files hold.
     */
    public static DovecotIndex read(Path dir, String base, Set<String> wanted) {
        List<String> notes = new ArrayList<>();
        IndexState state = new IndexState(wanted);
        String indexName = base;
        String logName = base + ".log";
        String oldLogName = base + ".log.2";
        IndexFile.LogPosition position = null;
        long indexId = -1;
        try {
            byte[] index = load(dir.resolve(indexName));
            if (index != null) {
                try {
                    position = IndexFile.read(index, state);
                    indexId = Le.u32(index, 16);
                } catch (BrokenIndexException e) {
                    return unusable(indexName + ": " + e.getMessage());
                }
            }
            record Log(String name, byte[] data, TransactionLog.Header header) {
            }
            List<Log> logs = new ArrayList<>();
            for (String name : List.of(oldLogName, logName)) {
                byte[] data = load(dir.resolve(name));
                if (data == null) {
                    continue;
                }
                TransactionLog.Header h;
                try {
                    h = TransactionLog.header(data);
                } catch (BrokenIndexException e) {
                    return unusable(name + ": " + e.getMessage());
                }
                if (indexId >= 0 && h.indexId() != indexId) {
                    notes.add(name + " belongs to another index (indexid " + h.indexId() + ", " + indexName + " has "
                            + indexId + "); not read");
                    continue;
                }
                logs.add(new Log(name, data, h));
            }
            if (position == null && logs.isEmpty()) {
                return unusable(notes.isEmpty() ? "no " + indexName + " or " + logName : String.join("; ", notes));
            }
            logs.sort(Comparator.comparingLong(l -> l.header().fileSeq()));
            boolean exact = true;
            long expectedSeq = position == null ? -1 : position.fileSeq();
            long modseq = 0;
            for (Log l : logs) {
                long seq = l.header().fileSeq();
                if (position != null && seq < position.fileSeq()) {
                    continue; // entirely in the index already
                }
                boolean continues = expectedSeq < 0 ? l.header().prevFileSeq() == 0 : seq == expectedSeq;
                if (!continues) {
                    // changes between what was read and this file are lost: bound them by where this file starts
                    exact = false;
                    notes.add("the log before " + l.name() + " (file " + seq + ") is missing; modseqs of the messages"
                            + " it could have changed are taken as " + l.header().initialModseq());
                    for (IndexState.Rec r : state.messages.values()) {
                        r.modseq = Math.max(r.modseq, l.header().initialModseq());
                    }
                }
                long applyFrom = position != null && seq == position.fileSeq() ? position.headOffset() : 0;
                try {
                    modseq = Math.max(modseq, TransactionLog.replay(l.data(), l.header(), state, applyFrom));
                } catch (BrokenIndexException e) {
                    return unusable(l.name() + ": " + e.getMessage());
                }
                expectedSeq = seq + 1;
            }
            return result(state, modseq, exact, notes);
        } catch (IOException e) {
            return unusable(e.getMessage());
        } catch (RuntimeException e) {
            // every bound is checked above; should one have been missed, the import still goes on
            return unusable("the index files could not be read (" + e + ")");
        }
    }

    private static DovecotIndex result(IndexState state, long logModseq, boolean exact, List<String> notes) {
        long uidValidity = state.uidValidity();
        if (uidValidity == 0) {
            return unusable("the index files hold no UIDVALIDITY");
        }
        long highest = Math.max(1, Math.max(state.highestModseq, logModseq));
        for (IndexState.Rec r : state.messages.values()) {
            highest = Math.max(highest, r.modseq);
        }
        Map<Long, Message> out = new TreeMap<>();
        for (Map.Entry<Long, IndexState.Rec> e : state.messages.entrySet()) {
            IndexState.Rec r = e.getValue();
            Set<String> flags = new LinkedHashSet<>(systemFlags(r.flags));
            flags.addAll(r.keywords());
            // Dovecot answers a record without a modseq of its own with the mailbox's highest
            out.put(e.getKey(), new Message(e.getKey(), flags, r.modseq > 0 ? r.modseq : highest, r.ext()));
        }
        long nextUid = state.nextUid();
        if (!out.isEmpty()) {
            nextUid = Math.max(nextUid, ((TreeMap<Long, Message>) out).lastKey() + 1);
        }
        return new DovecotIndex(true, null, exact, notes, uidValidity, nextUid, highest, out);
    }

    /** IMAP names of Dovecot's flag bits (enum mail_flags). */
    static Set<String> systemFlags(int bits) {
        Set<String> f = new LinkedHashSet<>();
        if ((bits & 0x01) != 0) {
            f.add("\\Answered");
        }
        if ((bits & 0x02) != 0) {
            f.add("\\Flagged");
        }
        if ((bits & 0x04) != 0) {
            f.add("\\Deleted");
        }
        if ((bits & 0x08) != 0) {
            f.add("\\Seen");
        }
        if ((bits & 0x10) != 0) {
            f.add("\\Draft");
        }
        return f;
    }

    private static DovecotIndex unusable(String why) {
        return new DovecotIndex(false, why, false, List.of(), 0, 0, 0, Map.of());
    }

    /** The file's bytes; null when absent; refuses links, other file types and files over the bound. */
    private static byte[] load(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        String name = p.getFileName().toString();
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(name + ": not a regular file (a symbolic link or a special file)");
        }
        long size = Files.size(p);
        if (size > MAX_FILE_BYTES) {
            throw new IOException(name + ": " + size + " bytes, more than the " + MAX_FILE_BYTES + " this importer reads");
        }
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new IOException(name + ": unreadable (" + e.getMessage() + ")", e);
        }
    }
}
