package io.mailfleet.server.importer.dovecot;

import java.nio.charset.StandardCharsets;

/**
 * Reads Dovecot's main index file ({@code dovecot.index}, format 7.x, Dovecot 2.x): the base header,
 * the extension headers ({@code modseq}: the highest modseq and each record's modseq; {@code keywords}:
 * the keyword names and each record's keyword bits) and the message records (UID, flags). Every offset
 * and count is checked against the file before it is used; anything out of place is a
 * {@link BrokenIndexException} naming the offset and what was wrong.
 */
final class IndexFile {

    static final int MAJOR_VERSION = 7;
    private static final int COMPAT_LITTLE_ENDIAN = 0x01;
    private static final int EXT_HEADER_SIZE = 16;
    private static final int MIN_RECORD_SIZE = 5;

    /** Where the index says its transaction log had been applied up to. */
    record LogPosition(long fileSeq, long headOffset) {
    }

    private IndexFile() {
    }

    /** Parses {@code data} into {@code into}; answers where in the log the index stands. */
    static LogPosition read(byte[] data, IndexState into) throws BrokenIndexException {
        if (data.length < IndexState.BASE_HEADER_SIZE) {
            throw new BrokenIndexException("truncated: " + data.length + " bytes, the header alone has "
                    + IndexState.BASE_HEADER_SIZE);
        }
        int major = Le.u8(data, 0);
        if (major != MAJOR_VERSION) {
            throw new BrokenIndexException("unknown format version " + major + "." + Le.u8(data, 1)
                    + " (this importer reads " + MAJOR_VERSION + ".x, Dovecot 2.x)");
        }
        int baseSize = Le.u16(data, 2);
        long headerSize = Le.u32(data, 4);
        long recordSize = Le.u32(data, 8);
        if ((Le.u8(data, 12) & COMPAT_LITTLE_ENDIAN) == 0) {
            throw new BrokenIndexException("written on a big-endian machine; only little-endian indexes are read");
        }
        if (baseSize < IndexState.BASE_HEADER_SIZE || headerSize < baseSize || headerSize > data.length) {
            throw new BrokenIndexException("header sizes out of range (base " + baseSize + ", full " + headerSize
                    + ", file " + data.length + " bytes)");
        }
        if (recordSize < MIN_RECORD_SIZE || recordSize > 65536) {
            throw new BrokenIndexException("record size " + recordSize + " out of range");
        }
        System.arraycopy(data, 0, into.header, 0, IndexState.BASE_HEADER_SIZE);
        long messages = Le.u32(data, 32);
        if (messages > IndexState.MAX_MESSAGES) {
            throw new BrokenIndexException(messages + " messages, more than the " + IndexState.MAX_MESSAGES
                    + " this importer reads from one folder");
        }
        if (messages * recordSize > data.length - headerSize) {
            throw new BrokenIndexException("truncated: " + messages + " records of " + recordSize + " bytes do not fit"
                    + " in the " + (data.length - headerSize) + " bytes after the header");
        }
        java.util.Map<String, int[]> wanted = new java.util.HashMap<>();
        int modseqRecord = -1;
        int keywordRecord = -1;
        int keywordBytes = 0;
        long offset = Le.align8(baseSize);
        while (offset < headerSize) {
            if (offset + EXT_HEADER_SIZE > headerSize) {
                throw new BrokenIndexException("offset " + offset + ": extension header goes past the header end "
                        + headerSize);
            }
            int at = (int) offset;
            long hdrSize = Le.u32(data, at);
            int recOffset = Le.u16(data, at + 8);
            int recSize = Le.u16(data, at + 10);
            int nameSize = Le.u16(data, at + 14);
            long dataAt = offset + Le.align8(EXT_HEADER_SIZE + nameSize);
            long next = dataAt + Le.align8(hdrSize);
            if (nameSize == 0 || dataAt > headerSize || next > headerSize) {
                throw new BrokenIndexException("offset " + offset + ": extension goes past the header end "
                        + headerSize);
            }
            String name = ascii(data, at + EXT_HEADER_SIZE, nameSize);
            if (name == null) {
                throw new BrokenIndexException("offset " + offset + ": extension name is not plain ASCII");
            }
            if (recOffset + recSize > recordSize) {
                throw new BrokenIndexException("extension " + name + ": record data at " + recOffset + "+" + recSize
                        + " is outside the " + recordSize + "-byte record");
            }
            if (into.extIndex(name) >= 0) {
                throw new BrokenIndexException("extension " + name + " is there twice");
            }
            into.extensions.add(new IndexState.Ext(name, recSize));
            if (into.wantedExtensions.contains(name) && recSize > 0 && recOffset > 0) {
                wanted.put(name, new int[] {recOffset, recSize});
            }
            if (name.equals("modseq")) {
                if (hdrSize >= 8) {
                    into.highestModseq = Math.max(into.highestModseq, Le.u64(data, (int) dataAt));
                }
                modseqRecord = recSize == 8 && recOffset > 0 ? recOffset : -1;
            } else if (name.equals("keywords")) {
                readKeywordNames(data, (int) dataAt, hdrSize, into);
                keywordRecord = recSize > 0 && recOffset > 0 ? recOffset : -1;
                keywordBytes = recSize;
            }
            offset = next;
        }
        long lastUid = 0;
        for (long i = 0; i < messages; i++) {
            int at = (int) (headerSize + i * recordSize);
            long uid = Le.u32(data, at);
            if (uid <= lastUid) {
                throw new BrokenIndexException("record " + (i + 1) + ": uid " + uid + " is not above the uid before it ("
                        + lastUid + ")");
            }
            lastUid = uid;
            IndexState.Rec rec = new IndexState.Rec(Le.u8(data, at + 4));
            if (modseqRecord > 0) {
                rec.modseq = Le.u64(data, at + modseqRecord);
            }
            for (var w : wanted.entrySet()) {
                int from = at + w.getValue()[0];
                rec.ext(w.getKey(), java.util.Arrays.copyOfRange(data, from, from + w.getValue()[1]));
            }
            if (keywordRecord > 0) {
                // only the bytes that can name a keyword, and only their set bits
                int bytes = Math.min(keywordBytes, (into.keywordNames.size() + 7) / 8);
                for (int b = 0; b < bytes; b++) {
                    int bits = data[at + keywordRecord + b] & 0xff;
                    while (bits != 0) {
                        int k = b * 8 + Integer.numberOfTrailingZeros(bits);
                        bits &= bits - 1;
                        if (k < into.keywordNames.size() && into.keywordNames.get(k) != null) {
                            rec.addKeyword(into.keywordNames.get(k));
                        }
                    }
                }
            }
            into.put(uid, rec);
        }
        if (lastUid > 0 && lastUid >= into.nextUid()) {
            throw new BrokenIndexException("the last record's uid " + lastUid + " is not below the next uid "
                    + into.nextUid());
        }
        return new LogPosition(Le.u32(data, 60), Le.u32(data, 68));
    }

    /** The keywords extension header: a count, {unused, name offset} per keyword, then NUL-terminated names. */
    private static void readKeywordNames(byte[] data, int at, long size, IndexState into) throws BrokenIndexException {
        if (size < 4) {
            return;
        }
        long count = Le.u32(data, at);
        long namesAt = 4 + count * 8;
        if (namesAt > size) {
            throw new BrokenIndexException("keywords: " + count + " keywords do not fit in a " + size
                    + "-byte header");
        }
        for (long k = 0; k < count; k++) {
            long nameOffset = Le.u32(data, (int) (at + 4 + k * 8 + 4));
            long start = namesAt + nameOffset;
            if (start >= size) {
                throw new BrokenIndexException("keywords: name " + (k + 1) + " starts outside the header");
            }
            int end = (int) start;
            while (end < size && data[at + end] != 0) {
                end++;
            }
            if (end >= size) {
                throw new BrokenIndexException("keywords: name " + (k + 1) + " is outside the header or not"
                        + " NUL-terminated");
            }
            String name = ascii(data, (int) (at + start), (int) (end - start));
            into.keywordNames.add(name == null || name.isEmpty() ? null : name);
        }
    }

    /** The bytes as text when they are printable ASCII, otherwise null. */
    static String ascii(byte[] data, int at, int length) {
        for (int i = at; i < at + length; i++) {
            if (data[i] <= 0x20 || data[i] >= 0x7f) {
                return null;
            }
        }
        return new String(data, at, length, StandardCharsets.US_ASCII);
    }
}
