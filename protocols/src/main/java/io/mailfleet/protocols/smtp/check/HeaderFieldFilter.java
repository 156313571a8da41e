package io.mailfleet.protocols.smtp.check;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Finds, or leaves out, the header fields of a {@link DropFields} in a message streamed through it in
 * chunks: only the bytes of a field's name are held until its colon decides, so memory stays bounded
 * whatever the message's size. A dropped field goes with its folded continuation lines; everything from
 * the empty line that ends the header section on passes through untouched. A line that is not a field
 * (no colon within {@value #MAX_NAME} octets) is kept as it is.
 */
public final class HeaderFieldFilter {

    /** Longer names are nobody's field to drop (every name asked for is far shorter). */
    static final int MAX_NAME = 76;

    private final DropFields drop;
    private final byte[] name = new byte[MAX_NAME];
    private int nameLength;
    private boolean inHeader = true;
    private boolean lineStart = true;
    private boolean naming;
    private boolean blankCandidate;
    private boolean dropping;
    private boolean found;

    public HeaderFieldFilter(DropFields drop) {
        this.drop = drop;
    }

    /** Whether a field to drop was seen so far. */
    public boolean found() {
        return found;
    }

    /** Whether the header section ended within what was seen so far. */
    public boolean headerDone() {
        return !inHeader;
    }

    /** Reads {@code bytes[offset, offset+length)} only to note whether a field to drop is there. */
    public void observe(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length && inHeader; i++) {
            next(bytes[i], null);
        }
    }

    /** As {@link #observe(byte[], int, int)} for the remaining octets of {@code bytes} (its position is left alone). */
    public void observe(java.nio.ByteBuffer bytes) {
        for (int i = bytes.position(); i < bytes.limit() && inHeader; i++) {
            next(bytes.get(i), null);
        }
    }

    /**
     * Passes {@code bytes[offset, offset+length)} on, without the fields to drop, into {@code out}; past
     * the header section the rest of the chunk is written in one piece.
     */
    public void filter(byte[] bytes, int offset, int length, ByteArrayOutputStream out) {
        int i = offset;
        int end = offset + length;
        while (i < end && inHeader) {
            next(bytes[i++], out);
        }
        if (i < end) {
            out.write(bytes, i, end - i);
        }
    }

    /** At the end of the message: the octets of a last line still held (a message without a body) into {@code out}. */
    public void finish(ByteArrayOutputStream out) {
        if (naming) {
            out.write(name, 0, nameLength);
            naming = false;
        }
    }

    private void next(byte b, ByteArrayOutputStream out) {
        if (lineStart) {
            lineStart = false;
            if (b == ' ' || b == '\t') {
                emit(b, out); // a folded line belongs to the field above: kept or dropped with it
                return;
            }
            dropping = false;
            if (b == '\r') {
                blankCandidate = true;
                emit(b, out);
            } else if (b == '\n') {
                emit(b, out);
                inHeader = false;
            } else {
                naming = true;
                nameLength = 0;
                name[nameLength++] = b;
            }
            return;
        }
        if (naming) {
            if (b == ':') {
                naming = false;
                dropping = drop.matches(trimmedName());
                if (dropping) {
                    found = true;
                } else if (out != null) {
                    out.write(name, 0, nameLength);
                }
                emit(b, out);
            } else if (b == '\n' || nameLength == MAX_NAME) {
                naming = false; // not a field, or not one of ours: kept as it is
                if (out != null) {
                    out.write(name, 0, nameLength);
                }
                regular(b, out);
            } else {
                name[nameLength++] = b;
            }
            return;
        }
        if (blankCandidate) {
            blankCandidate = false;
            if (b == '\n') {
                emit(b, out);
                inHeader = false;
                return;
            }
        }
        regular(b, out);
    }

    private void regular(byte b, ByteArrayOutputStream out) {
        emit(b, out);
        if (b == '\n') {
            lineStart = true;
        }
    }

    private void emit(byte b, ByteArrayOutputStream out) {
        if (out != null && !dropping) {
            out.write(b);
        }
    }

    private String trimmedName() {
        int n = nameLength;
        while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t')) {
            n--;
        }
        return new String(name, 0, n, StandardCharsets.ISO_8859_1);
    }
}
