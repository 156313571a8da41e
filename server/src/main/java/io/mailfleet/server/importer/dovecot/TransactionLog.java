package io.mailfleet.server.importer.dovecot;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays a Dovecot transaction log file ({@code dovecot.index.log}, format 1.x) onto an
 * {@link IndexState}: appends, flag updates, keyword updates and resets, expunges (the external ones,
 * which are done; the others are only requests), modseq updates, base header updates (UIDVALIDITY,
 * next UID) and extension intros, counting the modseq as Dovecot does: the file starts at its
 * header's initial modseq and each record that changes something a client sees adds one.
 *
 * <p>A transaction cut off at the end of the file (a crash while writing) is ignored, as Dovecot
 * ignores it; a record whose size or content does not fit is a {@link BrokenIndexException} with
 * its offset.
 */
final class TransactionLog {

    static final int MAJOR_VERSION = 1;
    private static final int MIN_HEADER_SIZE = 24;

    private static final int EXPUNGE = 0x1;
    private static final int APPEND = 0x2;
    private static final int FLAG_UPDATE = 0x4;
    private static final int HEADER_UPDATE = 0x20;
    private static final int EXT_INTRO = 0x40;
    private static final int EXT_HDR_UPDATE = 0x100;
    private static final int EXT_HDR_UPDATE32 = 0x10000;
    private static final int EXT_REC_UPDATE = 0x200;
    private static final int KEYWORD_UPDATE = 0x400;
    private static final int KEYWORD_RESET = 0x800;
    private static final int EXPUNGE_GUID = 0x2000;
    private static final int MODSEQ_UPDATE = 0x8000;
    private static final int BOUNDARY = 0x80000;
    private static final int ATTRIBUTE_UPDATE = 0x100000;
    private static final int TYPE_MASK = 0x0fffffff;
    private static final int EXPUNGE_PROT = 0x0000cd90;
    private static final int EXTERNAL = 0x10000000;
    /** Flag bits a client sees (answered, flagged, deleted, seen, draft); others are Dovecot's own. */
    private static final int VISIBLE_FLAGS = 0x1f;
    private static final int MODIFY_ADD = 0;
    private static final int MODIFY_REMOVE = 1;

    /** The fields of a log file's header this reader uses. */
    record Header(int minor, int size, long indexId, long fileSeq, long prevFileSeq, long initialModseq) {
    }

    private final byte[] data;
    private final Header header;
    private final IndexState state;
    private IndexState.Ext currentExt;
    private long modseq;

    private TransactionLog(byte[] data, Header header, IndexState state) {
        this.data = data;
        this.header = header;
        this.state = state;
        this.modseq = header.initialModseq();
    }

    /** The header of a log file. */
    static Header header(byte[] data) throws BrokenIndexException {
        if (data.length < MIN_HEADER_SIZE) {
            throw new BrokenIndexException("truncated: " + data.length + " bytes, the header alone has at least "
                    + MIN_HEADER_SIZE);
        }
        int major = Le.u8(data, 0);
        if (major != MAJOR_VERSION) {
            throw new BrokenIndexException("unknown format version " + major + "." + Le.u8(data, 1)
                    + " (this importer reads " + MAJOR_VERSION + ".x, Dovecot 2.x)");
        }
        int size = Le.u16(data, 2);
        if (size < MIN_HEADER_SIZE || size > data.length) {
            throw new BrokenIndexException("header size " + size + " out of range (file " + data.length + " bytes)");
        }
        long initial = size >= 32 ? Le.u64(data, 24) : 0;
        if (size >= 33 && Le.u8(data, 1) >= 2 && Le.u8(data, 32) != 0 && (Le.u8(data, 32) & 1) == 0) {
            throw new BrokenIndexException("written on a big-endian machine; only little-endian logs are read");
        }
        return new Header(Le.u8(data, 1), size, Le.u32(data, 4), Le.u32(data, 8), Le.u32(data, 12), initial);
    }

    /**
     * Replays the file: every record counts for the modseq, and records at {@code applyFrom} or later
     * change {@code state} (records before it are already in the index the state was read from).
     *
     * @return the modseq after the last complete record
     */
    static long replay(byte[] data, Header header, IndexState state, long applyFrom) throws BrokenIndexException {
        return new TransactionLog(data, header, state).run(applyFrom);
    }

    private long run(long applyFrom) throws BrokenIndexException {
        int pos = header.size();
        while (pos + 8 <= data.length) {
            long size = recordSize(Le.u32(data, pos));
            if (size == 0) {
                break; // unfinished write: Dovecot stops here too
            }
            if (size < 8) {
                throw new BrokenIndexException("offset " + pos + ": record size " + size + " is too small");
            }
            if (pos + size > data.length) {
                break; // the record was being written when the file was copied
            }
            int type = (int) Le.u32(data, pos + 4);
            int body = pos + 8;
            int end = (int) (pos + size);
            if ((type & TYPE_MASK) == BOUNDARY) {
                if (end - body < 4) {
                    throw new BrokenIndexException("offset " + pos + ": boundary record without its size");
                }
                if (pos + Le.u32(data, body) > data.length) {
                    break; // a transaction cut off at the end of the file is not applied
                }
            }
            countModseq(type, body, end, pos);
            if (pos >= applyFrom) {
                apply(type, body, end, pos);
            }
            pos = end;
        }
        return modseq;
    }

    /** Dovecot's mail_index_offset_to_uint32: sizes are stored big-endian, 7 bits a byte, in units of 4. */
    private static long recordSize(long stored) {
        long v = Long.reverseBytes(stored << 32) & 0xffffffffL;
        if ((v & 0x80808080L) != 0x80808080L) {
            return 0;
        }
        return ((v & 0x7f) | ((v & 0x7f00) >> 8 << 7) | ((v & 0x7f0000) >> 16 << 14)
                | ((v & 0x7f000000L) >> 24 << 21)) << 2;
    }

    private void countModseq(int type, int body, int end, int pos) throws BrokenIndexException {
        int t = type & TYPE_MASK;
        if (modseq == 0) {
            // modseqs are counted from the introduction of the modseq extension on
            if (t == EXT_INTRO && end - body >= 20) {
                int nameSize = Le.u16(data, body + 18);
                if (nameSize == 6 && body + 20 + 6 <= end
                        && "modseq".equals(new String(data, body + 20, 6, StandardCharsets.US_ASCII))) {
                    modseq = 1;
                }
            }
            return;
        }
        switch (t) {
            case EXPUNGE | EXPUNGE_PROT, EXPUNGE_GUID | EXPUNGE_PROT -> {
                if ((type & EXTERNAL) != 0) {
                    modseq++;
                }
            }
            case APPEND, KEYWORD_UPDATE, KEYWORD_RESET, ATTRIBUTE_UPDATE -> modseq++;
            case FLAG_UPDATE -> {
                // log format 1.3 and later: updates of Dovecot's internal flags alone do not count
                boolean visible = header.minor() < 3;
                for (int at = body; at + 12 <= end && !visible; at += 12) {
                    visible = ((Le.u8(data, at + 8) | Le.u8(data, at + 9)) & VISIBLE_FLAGS) != 0
                            || Le.u8(data, at + 10) != 0;
                }
                if (visible) {
                    modseq++;
                }
            }
            case MODSEQ_UPDATE -> {
                for (int at = body; at + 12 <= end; at += 12) {
                    modseq = Math.max(modseq, Le.u32(data, at + 4) | Le.u32(data, at + 8) << 32);
                    if (modseq < 0) {
                        throw new BrokenIndexException("offset " + pos + ": modseq out of range");
                    }
                }
            }
            default -> {
            }
        }
    }

    private void apply(int type, int body, int end, int pos) throws BrokenIndexException {
        switch (type & TYPE_MASK) {
            case APPEND -> {
                requireMultiple(body, end, 8, pos, "append");
                for (int at = body; at < end; at += 8) {
                    long uid = Le.u32(data, at);
                    if (uid == 0) {
                        throw new BrokenIndexException("offset " + pos + ": append of uid 0");
                    }
                    IndexState.Rec rec = new IndexState.Rec(Le.u8(data, at + 4));
                    IndexState.Rec old = state.put(uid, rec);
                    rec.modseq = Math.max(tracked(), old == null ? 0 : old.modseq);
                }
            }
            case EXPUNGE | EXPUNGE_PROT -> {
                requireMultiple(body, end, 8, pos, "expunge");
                if ((type & EXTERNAL) != 0) {
                    for (int at = body; at < end; at += 8) {
                        range(Le.u32(data, at), Le.u32(data, at + 4)).clear();
                    }
                }
            }
            case EXPUNGE_GUID | EXPUNGE_PROT -> {
                requireMultiple(body, end, 20, pos, "expunge");
                if ((type & EXTERNAL) != 0) {
                    for (int at = body; at < end; at += 20) {
                        state.messages.remove(Le.u32(data, at));
                    }
                }
            }
            case FLAG_UPDATE -> {
                requireMultiple(body, end, 12, pos, "flag update");
                for (int at = body; at < end; at += 12) {
                    int add = Le.u8(data, at + 8);
                    int remove = Le.u8(data, at + 9);
                    boolean visible = ((add | remove) & VISIBLE_FLAGS) != 0 || Le.u8(data, at + 10) != 0;
                    for (IndexState.Rec r : range(Le.u32(data, at), Le.u32(data, at + 4)).values()) {
                        r.flags = (r.flags & ~remove) | add;
                        if (visible) {
                            r.modseq = Math.max(r.modseq, tracked());
                        }
                    }
                }
            }
            case KEYWORD_UPDATE -> keywordUpdate(body, end, pos);
            case KEYWORD_RESET -> {
                requireMultiple(body, end, 8, pos, "keyword reset");
                for (int at = body; at < end; at += 8) {
                    for (IndexState.Rec r : range(Le.u32(data, at), Le.u32(data, at + 4)).values()) {
                        r.clearKeywords();
                        r.modseq = Math.max(r.modseq, tracked());
                    }
                }
            }
            case MODSEQ_UPDATE -> {
                requireMultiple(body, end, 12, pos, "modseq update");
                for (int at = body; at < end; at += 12) {
                    IndexState.Rec r = state.messages.get(Le.u32(data, at));
                    if (r != null) {
                        r.modseq = Math.max(r.modseq, Le.u32(data, at + 4) | Le.u32(data, at + 8) << 32);
                    }
                }
            }
            case HEADER_UPDATE -> headerUpdate(body, end, pos);
            case EXT_INTRO -> extIntro(body, end, pos);
            case EXT_REC_UPDATE -> extRecUpdate(body, end, pos);
            case EXT_HDR_UPDATE -> extHdrUpdate(body, end, pos, false);
            case EXT_HDR_UPDATE32 -> extHdrUpdate(body, end, pos, true);
            default -> {
                // other records (cache, attributes, extension headers) say nothing an import keeps
            }
        }
    }

    /**
     * The modseq a change gives the messages it touches: the current one once the mailbox has the modseq
     * extension, 0 before (Dovecot keeps no per-message modseqs then; switching them on gives every
     * message without one the highest modseq of that moment, see {@link #extHdrUpdate}).
     */
    private long tracked() {
        return state.extIndex("modseq") >= 0 ? modseq : 0;
    }

    /** The messages with UIDs uid1..uid2, counted against the read's work budget. */
    private Map<Long, IndexState.Rec> range(long uid1, long uid2) throws BrokenIndexException {
        if (uid1 > uid2) {
            return new TreeMap<>();
        }
        Map<Long, IndexState.Rec> hit = state.messages.subMap(uid1, true, uid2, true);
        state.spend(hit.size());
        return hit;
    }

    private void keywordUpdate(int body, int end, int pos) throws BrokenIndexException {
        if (end - body < 4) {
            throw new BrokenIndexException("offset " + pos + ": keyword update too short");
        }
        int modify = Le.u8(data, body);
        int nameSize = Le.u16(data, body + 2);
        long uidsAt = body + Le.align4(4 + nameSize);
        if (nameSize == 0 || uidsAt > end || (end - uidsAt) % 8 != 0) {
            throw new BrokenIndexException("offset " + pos + ": keyword update does not fit its record");
        }
        String name = IndexFile.ascii(data, body + 4, nameSize);
        if (name == null) {
            throw new BrokenIndexException("offset " + pos + ": keyword name is not printable ASCII");
        }
        for (int at = (int) uidsAt; at < end; at += 8) {
            for (IndexState.Rec r : range(Le.u32(data, at), Le.u32(data, at + 4)).values()) {
                if (modify == MODIFY_ADD) {
                    r.addKeyword(name);
                } else if (modify == MODIFY_REMOVE) {
                    r.removeKeyword(name);
                }
                r.modseq = Math.max(r.modseq, tracked());
            }
        }
    }

    private void headerUpdate(int body, int end, int pos) throws BrokenIndexException {
        int at = body;
        while (at + 4 <= end) {
            int offset = Le.u16(data, at);
            int size = Le.u16(data, at + 2);
            if (at + 4 + size > end) {
                throw new BrokenIndexException("offset " + pos + ": header update goes past its record");
            }
            for (int i = 0; i < size; i++) {
                if (offset + i < state.header.length) {
                    state.header[offset + i] = data[at + 4 + i];
                }
            }
            at += (int) Le.align4(4 + size);
        }
    }

    private void extIntro(int body, int end, int pos) throws BrokenIndexException {
        if (end - body < 20) {
            throw new BrokenIndexException("offset " + pos + ": extension intro too short");
        }
        long extId = Le.u32(data, body);
        int recordSize = Le.u16(data, body + 12);
        int nameSize = Le.u16(data, body + 18);
        if (body + 20 + nameSize > end) {
            throw new BrokenIndexException("offset " + pos + ": extension name goes past its record");
        }
        if (nameSize == 0) {
            // an extension by its number in the index; one this read does not know is not one it uses
            currentExt = new IndexState.Ext(extId < state.extensions.size()
                    ? state.extensions.get((int) extId).name() : "#" + extId, recordSize);
            return;
        }
        String name = IndexFile.ascii(data, body + 20, nameSize);
        if (name == null) {
            throw new BrokenIndexException("offset " + pos + ": extension name is not printable ASCII");
        }
        currentExt = new IndexState.Ext(name, recordSize);
        if (state.extIndex(name) < 0) {
            state.extensions.add(currentExt);
        }
    }

    private void extRecUpdate(int body, int end, int pos) throws BrokenIndexException {
        if (currentExt == null) {
            throw new BrokenIndexException("offset " + pos + ": extension record update without an intro");
        }
        String name = currentExt.name();
        int size = currentExt.recordSize();
        boolean modseqs = name.equals("modseq") && size == 8;
        if (!modseqs && !(state.wantedExtensions.contains(name) && size > 0)) {
            return;
        }
        int item = (int) Le.align4(4 + size);
        requireMultiple(body, end, item, pos, name + " record update");
        for (int at = body; at < end; at += item) {
            IndexState.Rec r = state.messages.get(Le.u32(data, at));
            if (r == null) {
                continue;
            }
            if (modseqs) {
                r.modseq = Math.max(r.modseq, Le.u64(data, at + 4));
            } else {
                r.ext(name, java.util.Arrays.copyOfRange(data, at + 4, at + 4 + size));
            }
        }
    }

    /**
     * An update of the current extension's header. For {@code modseq}, its first 8 bytes are the highest
     * modseq at the time: Dovecot gives that value to every message that has no modseq of its own yet
     * (when modseqs are switched on for a mailbox that already holds messages).
     */
    private void extHdrUpdate(int body, int end, int pos, boolean wide) throws BrokenIndexException {
        if (currentExt == null) {
            throw new BrokenIndexException("offset " + pos + ": extension header update without an intro");
        }
        int head = wide ? 8 : 4;
        int at = body;
        while (at + head <= end) {
            long offset = wide ? Le.u32(data, at) : Le.u16(data, at);
            long size = wide ? Le.u32(data, at + 4) : Le.u16(data, at + 2);
            if (at + head + size > end) {
                throw new BrokenIndexException("offset " + pos + ": extension header update goes past its record");
            }
            if (currentExt.name().equals("modseq") && offset == 0 && size >= 8) {
                long highest = Le.u64(data, at + head);
                for (IndexState.Rec r : state.messages.values()) {
                    if (r.modseq == 0) {
                        r.modseq = highest;
                    }
                }
            }
            at += (int) Le.align4(head + size);
        }
    }

    private static void requireMultiple(int body, int end, int unit, int pos, String what) throws BrokenIndexException {
        if ((end - body) % unit != 0) {
            throw new BrokenIndexException("offset " + pos + ": " + what + " record of " + (end - body)
                    + " bytes is not a multiple of " + unit);
        }
    }
}
