package io.mailfleet.server.importer.dovecot;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The mailbox as Dovecot's index files describe it while they are read: the base header fields an
 * import needs, the messages by UID (flags, keywords, modseq), the extensions in file order and the
 * keyword names. Mutable and private to one read.
 */
final class IndexState {

    /** One message record: the Dovecot flag bits, its keywords and its modseq (0: not known yet). */
    static final class Rec {
        int flags;
        /** Null while the message has none: most have none, and a folder may hold a million messages. */
        private Set<String> keywords;
        long modseq;

        Rec(int flags) {
            this.flags = flags;
        }

        void addKeyword(String k) {
            if (keywords == null) {
                keywords = new LinkedHashSet<>(4);
            }
            keywords.add(k);
        }

        void removeKeyword(String k) {
            if (keywords != null) {
                keywords.remove(k);
            }
        }

        void clearKeywords() {
            keywords = null;
        }

        Set<String> keywords() {
            return keywords == null ? Set.of() : keywords;
        }

        /** Record data of the extensions the read asked for (mdbox's map UID, the map's file and offset). */
        private java.util.Map<String, byte[]> ext;

        void ext(String name, byte[] data) {
            if (ext == null) {
                ext = new java.util.HashMap<>(2);
            }
            ext.put(name, data);
        }

        java.util.Map<String, byte[]> ext() {
            return ext == null ? java.util.Map.of() : ext;
        }
    }

    /** The extensions whose per-message data the read keeps, besides modseq and keywords. */
    final Set<String> wantedExtensions;

    IndexState(Set<String> wantedExtensions) {
        this.wantedExtensions = Set.copyOf(wantedExtensions);
    }

    /** More messages than this in one folder are not read (the index alone would need gigabytes of heap). */
    static final int MAX_MESSAGES = 2_000_000;

    /** Adds or replaces a message, refusing more than {@link #MAX_MESSAGES}. */
    Rec put(long uid, Rec rec) throws BrokenIndexException {
        Rec old = messages.put(uid, rec);
        if (messages.size() > MAX_MESSAGES) {
            throw new BrokenIndexException("more than " + MAX_MESSAGES + " messages; not read");
        }
        return old;
    }

    /** An extension as the index or the log introduced it. */
    record Ext(String name, int recordSize) {
    }

    static final int BASE_HEADER_SIZE = 120;
    static final int UID_VALIDITY_OFFSET = 24;
    static final int NEXT_UID_OFFSET = 28;

    /** Dovecot's base header (struct mail_index_header), little-endian, updated by the log's header updates. */
    final byte[] header = new byte[BASE_HEADER_SIZE];
    final TreeMap<Long, Rec> messages = new TreeMap<>();
    final List<Ext> extensions = new ArrayList<>();
    final List<String> keywordNames = new ArrayList<>();
    /** The highest modseq the index header or a log file recorded. */
    long highestModseq;

    /**
     * Message updates a read may make in all (a log record names a UID range and touches every message
     * in it): generous for any real mailbox, and what keeps a hostile log from taking hours.
     */
    static final long WORK_LIMIT = 200_000_000L;
    private long work;

    /** Counts {@code n} message updates; refuses the read beyond {@link #WORK_LIMIT}. */
    void spend(long n) throws BrokenIndexException {
        work += n;
        if (work > WORK_LIMIT) {
            throw new BrokenIndexException("more than " + WORK_LIMIT + " message updates; not replayed further");
        }
    }

    long uidValidity() {
        return Le.u32(header, UID_VALIDITY_OFFSET);
    }

    long nextUid() {
        return Le.u32(header, NEXT_UID_OFFSET);
    }

    int extIndex(String name) {
        for (int i = 0; i < extensions.size(); i++) {
            if (extensions.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
