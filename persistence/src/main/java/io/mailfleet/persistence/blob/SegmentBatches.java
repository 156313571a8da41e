package io.mailfleet.persistence.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The on-disk format of a batch in a segment file.
 *
 * <p>A batch is a 24-byte header (magic, payload length, CRC32C, CRC32C of the header) followed by
 * the blobs' bytes back to back, then a directory: the blob count and, per blob, its size (4 bytes)
 * and SHA-256 (32 bytes). The payload CRC covers the blob bytes and the directory. The directory lets
 * a listing tell the blobs of a batch apart and hand out refs that {@code delete} accepts; keeping it
 * after the payload keeps a batch's first blob right behind its header.
 *
 * <p>Batches written before the directory existed carry another magic and no directory: they are
 * still read, but their blobs cannot be told apart, so a listing does not see them.
 */
final class SegmentBatches {

    static final int HEADER = 24;
    /** "MFSEGBAT": a batch without directory. */
    static final long MAGIC_WITHOUT_DIRECTORY = 0x4d46_5345_4742_4154L;
    /** "MFSEGBA2": a batch followed by its directory. */
    static final long MAGIC = 0x4d46_5345_4742_4132L;
    private static final int SHA256_BYTES = 32;
    private static final int ENTRY = 4 + SHA256_BYTES;

    /** One blob of a batch: where its bytes start in the segment, how many and their SHA-256 (hex). */
    record Entry(long offset, int size, String sha256) {
    }

    /** Receives the batches of a segment in file order. */
    interface Visitor {
        /** @param entries the batch's blobs, or null for a batch written without directory */
        void batch(long start, long payload, List<Entry> entries) throws IOException;
    }

    private SegmentBatches() {
    }

    /** Bytes a batch of {@code blobs} blobs adds besides their own. */
    static long overhead(int blobs) {
        return HEADER + directoryBytes(blobs);
    }

    private static long directoryBytes(int blobs) {
        return 4 + (long) ENTRY * blobs;
    }

    /** The buffers of one batch, header first, ready for a gathering write. */
    static ByteBuffer[] encode(List<PendingCommit.Packed> blobs, long payload) {
        ByteBuffer[] buffers = new ByteBuffer[blobs.size() + 2];
        ByteBuffer directory = ByteBuffer.allocate((int) directoryBytes(blobs.size()));
        directory.putInt(blobs.size());
        CRC32C crc = new CRC32C();
        HexFormat hex = HexFormat.of();
        for (int k = 0; k < blobs.size(); k++) {
            PendingCommit.Packed p = blobs.get(k);
            crc.update(p.bytes(), 0, p.size());
            buffers[k + 1] = ByteBuffer.wrap(p.bytes(), 0, p.size());
            directory.putInt(p.size()).put(hex.parseHex(p.sha256()));
        }
        crc.update(directory.array());
        buffers[buffers.length - 1] = directory.flip();
        buffers[0] = header(MAGIC, payload, (int) crc.getValue());
        return buffers;
    }

    /** Size of the whole batch written by {@link #encode}. */
    static long batchBytes(int blobs, long payload) {
        return overhead(blobs) + payload;
    }

    static ByteBuffer header(long magic, long payload, int payloadCrc) {
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        h.putLong(magic).putLong(payload).putInt(payloadCrc);
        CRC32C crc = new CRC32C();
        crc.update(h.array(), 0, HEADER - 4);
        h.putInt((int) crc.getValue());
        return h.flip();
    }

    /**
     * Reads the batches of a segment from its start up to {@code limit} and returns where the last
     * whole, well-formed batch ends: a batch that does not fit, or whose header is damaged, ends the
     * walk. With {@code verifyPayload} the payload checksum is checked too (needed when the extent
     * is unknown, i.e. after a crash or while another node writes); without, payloads are skipped.
     */
    static long read(InputStream in, long limit, boolean verifyPayload, Visitor visitor) throws IOException {
        long pos = 0;
        byte[] h = new byte[HEADER];
        byte[] buf = verifyPayload ? new byte[64 * 1024] : null;
        while (pos + HEADER <= limit && readFully(in, h, HEADER)) {
            ByteBuffer header = ByteBuffer.wrap(h);
            CRC32C headerCrc = new CRC32C();
            headerCrc.update(h, 0, HEADER - 4);
            long magic = header.getLong();
            long length = header.getLong();
            int payloadCrc = header.getInt();
            boolean directory = magic == MAGIC;
            if (magic != MAGIC_WITHOUT_DIRECTORY && !directory || header.getInt() != (int) headerCrc.getValue()
                    || length <= 0 || length > limit - pos - HEADER) {
                return pos;
            }
            CRC32C crc = new CRC32C();
            if (verifyPayload) {
                for (long left = length; left > 0; ) {
                    int n = (int) Math.min(buf.length, left);
                    if (!readFully(in, buf, n)) {
                        return pos;
                    }
                    crc.update(buf, 0, n);
                    left -= n;
                }
            } else if (!skipFully(in, length)) {
                return pos;
            }
            long batchEnd = pos + HEADER + length;
            List<Entry> entries = null;
            if (directory) {
                entries = readDirectory(in, pos + HEADER, length, limit - batchEnd, verifyPayload ? crc : null);
                if (entries == null) {
                    return pos;
                }
                batchEnd += directoryBytes(entries.size());
            }
            if (verifyPayload && (int) crc.getValue() != payloadCrc) {
                return pos;
            }
            visitor.batch(pos, length, entries);
            pos = batchEnd;
        }
        return pos;
    }

    /** The directory after a payload, or null when it does not fit, is cut short or does not add up. */
    private static List<Entry> readDirectory(InputStream in, long firstOffset, long payload, long room, CRC32C crc)
            throws IOException {
        byte[] countBytes = new byte[4];
        if (room < 4 || !readFully(in, countBytes, 4)) {
            return null;
        }
        int count = ByteBuffer.wrap(countBytes).getInt();
        if (count <= 0 || count > payload || directoryBytes(count) > room) {
            return null;
        }
        byte[] table = new byte[ENTRY * count];
        if (!readFully(in, table, table.length)) {
            return null;
        }
        if (crc != null) {
            crc.update(countBytes);
            crc.update(table);
        }
        ByteBuffer t = ByteBuffer.wrap(table);
        HexFormat hex = HexFormat.of();
        List<Entry> entries = new ArrayList<>(count);
        long offset = firstOffset;
        byte[] sha = new byte[SHA256_BYTES];
        for (int i = 0; i < count; i++) {
            int size = t.getInt();
            t.get(sha);
            if (size <= 0 || size > firstOffset + payload - offset) {
                return null;
            }
            entries.add(new Entry(offset, size, hex.formatHex(sha)));
            offset += size;
        }
        return offset == firstOffset + payload ? entries : null;
    }

    private static boolean readFully(InputStream in, byte[] b, int n) throws IOException {
        return in.readNBytes(b, 0, n) == n;
    }

    private static boolean skipFully(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long k = in.skip(left);
            if (k <= 0) {
                if (in.read() < 0) {
                    return false;
                }
                k = 1;
            }
            left -= k;
        }
        return true;
    }
}
