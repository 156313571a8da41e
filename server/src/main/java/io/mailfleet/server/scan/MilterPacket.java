package io.mailfleet.server.scan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One packet of the milter protocol: a 4-octet length (the command octet included), the command, its
 * data. A reply longer than {@link #MAX_REPLY} is garbage, so a milter cannot make us allocate without bound.
 */
record MilterPacket(char command, byte[] data) {

    /** Largest reply accepted (a replaced body chunk or a header field is far less). */
    static final int MAX_REPLY = 1 << 20;

    static void write(SocketChannel ch, char command, byte[] data, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(5 + length);
        b.putInt(length + 1).put((byte) command).put(data, 0, length).flip();
        SocketCall.writeFully(ch, b);
    }

    static void write(SocketChannel ch, char command, byte[] data) throws IOException {
        write(ch, command, data, data.length);
    }

    /** Reads one packet; a closed connection or an impossible length is a {@link ScanFailure}. */
    static MilterPacket read(SocketChannel ch) throws IOException {
        ByteBuffer len = ByteBuffer.allocate(4);
        fill(ch, len);
        int n = len.flip().getInt();
        if (n < 1 || n > MAX_REPLY) {
            throw garbage("a packet of length " + Integer.toUnsignedString(n));
        }
        ByteBuffer body = ByteBuffer.allocate(n);
        fill(ch, body);
        byte[] all = body.array();
        byte[] data = new byte[n - 1];
        System.arraycopy(all, 1, data, 0, n - 1);
        return new MilterPacket((char) (all[0] & 0xff), data);
    }

    private static void fill(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new ScanFailure(ScanFailure.Kind.ERROR, "milter closed the connection", null);
            }
        }
    }

    static ScanFailure garbage(String what) {
        return new ScanFailure(ScanFailure.Kind.ERROR, "milter sent " + what, null);
    }

    /** NUL-terminated strings, as the protocol joins them. */
    static byte[] strings(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : parts) {
            out.writeBytes(p.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    /** The NUL-terminated strings of the data from {@code offset}. */
    List<String> strings(int offset) {
        List<String> out = new ArrayList<>();
        int start = offset;
        for (int i = offset; i < data.length; i++) {
            if (data[i] == 0) {
                out.add(new String(data, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < data.length) {
            out.add(new String(data, start, data.length - start, StandardCharsets.UTF_8));
        }
        return out;
    }

    int intAt(int offset) {
        if (data.length < offset + 4) {
            throw garbage("a short '" + printable() + "' packet");
        }
        return ByteBuffer.wrap(data, offset, 4).getInt();
    }

    String printable() {
        return command >= 0x21 && command < 0x7f ? String.valueOf(command) : String.format("0x%02x", (int) command);
    }
}
