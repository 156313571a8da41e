package io.mailfleet.server.importer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One message file of Dovecot's sdbox format ({@code dbox-Mails/u.<uid>}, dbox version 2): a header
 * line ({@code 2 M<message header size, hex> C<created, hex>}), the message header (magic
 * {@code \001\002}, type {@code N}, the message size in 16 hex digits), the message itself, then
 * the metadata block ({@code \n\001\003\n} and {@code <key><value>} lines: {@code R} received time,
 * {@code G} GUID, {@code V} virtual size) ending with an empty line. Only the head and the metadata
 * are read here; the message is copied from its offset when it is imported.
 */
final class DboxFile {

    private static final int MAX_HEADER_LINE = 1024;
    private static final int MAX_METADATA = 16 * 1024;
    private static final int SIZE_AT = 13;

    /** Where the message is in the file, and its received time from the metadata (null when absent). */
    record Parsed(long offset, long size, Instant received) {
    }

    private DboxFile() {
    }

    /** Parses an sdbox file's framing; an {@link IOException} says precisely what is wrong with it. */
    static Parsed parse(Path file) throws IOException {
        return parseAt(file, -1);
    }

    /**
     * Parses the message whose dbox message header starts at {@code offset} of an mdbox storage file
     * ({@code storage/m.<n>}, many messages after one header line); -1 for the first one.
     */
    static Parsed parseAt(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = ch.size();
            byte[] head = read(ch, 0, (int) Math.min(length, MAX_HEADER_LINE + 64));
            int lf = indexOf(head, (byte) '\n', 0, Math.min(head.length, MAX_HEADER_LINE));
            if (lf < 0) {
                throw new IOException(head.length == 0 ? "empty file" : "no dbox header line in the first "
                        + MAX_HEADER_LINE + " bytes");
            }
            String line = new String(head, 0, lf, StandardCharsets.US_ASCII);
            if (!line.startsWith("2 ")) {
                throw new IOException("not a dbox version 2 file (header '" + abbreviate(line) + "')");
            }
            long msgHeaderSize = -1;
            for (String field : line.substring(2).split(" ")) {
                if (field.startsWith("M")) {
                    msgHeaderSize = hex(field.substring(1), "message header size");
                }
            }
            if (msgHeaderSize < SIZE_AT + 17 || msgHeaderSize > MAX_HEADER_LINE) {
                throw new IOException("message header size " + msgHeaderSize + " missing or out of range");
            }
            long at = offset < 0 ? lf + 1L : offset;
            if (at <= lf || at + msgHeaderSize > length) {
                throw new IOException("truncated: the message header ends at " + (at + msgHeaderSize)
                        + ", the file has " + length + " bytes");
            }
            byte[] mh = read(ch, at, (int) msgHeaderSize);
            if (mh[0] != 1 || mh[1] != 2 || mh[2] != 'N' || mh[(int) msgHeaderSize - 1] != '\n') {
                throw new IOException("no dbox message header at offset " + at);
            }
            long size = hex(new String(mh, SIZE_AT, 16, StandardCharsets.US_ASCII), "message size");
            long body = at + msgHeaderSize;
            if (body + size > length) {
                throw new IOException("truncated: the message has " + size + " bytes from offset " + body
                        + ", the file ends after " + (length - body));
            }
            return new Parsed(body, size, received(ch, body + size, length));
        }
    }

    /** The metadata block's received time, or null when the block is missing or has none. */
    private static Instant received(FileChannel ch, long at, long length) throws IOException {
        byte[] meta = read(ch, at, (int) Math.min(length - at, MAX_METADATA));
        String text = new String(meta, StandardCharsets.US_ASCII);
        if (!text.startsWith("\n\u0001\u0003\n")) {
            return null;
        }
        for (String l : text.substring(4).split("\n")) {
            if (l.isEmpty()) {
                break;
            }
            if (l.charAt(0) == 'R') {
                try {
                    long seconds = Long.parseLong(l.substring(1), 16);
                    return seconds > 0 ? Instant.ofEpochSecond(seconds) : null;
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Copies the message bytes to {@code out}. */
    static void copy(Path file, Parsed p, OutputStream out) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() < p.offset() + p.size()) {
                throw new IOException("shrank while it was being imported");
            }
            ch.position(p.offset());
            InputStream in = Channels.newInputStream(ch);
            byte[] buf = new byte[64 * 1024];
            long left = p.size();
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException("ended early");
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }

    private static byte[] read(FileChannel ch, long at, int n) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(Math.max(0, n));
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                break;
            }
        }
        byte[] out = new byte[b.position()];
        b.flip();
        b.get(out);
        return out;
    }

    private static long hex(String s, String what) throws IOException {
        try {
            long v = Long.parseUnsignedLong(s.strip(), 16);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IOException(what + " '" + abbreviate(s) + "' is not a hex number");
        }
    }

    private static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "..." : clean;
    }
}
