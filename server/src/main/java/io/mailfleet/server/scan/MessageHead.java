package io.mailfleet.server.scan;

import io.mailfleet.core.spam.classifier.MessageText;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** The first octets of a message as it streams in: what the classifier and the URL lists read. */
final class MessageHead {

    private final int max;
    private byte[] buf = new byte[8192];
    private int size;

    /** The first {@link MessageText#MAX_BYTES} octets, what the classifier reads. */
    MessageHead() {
        this(MessageText.MAX_BYTES);
    }

    /** The first {@code max} octets. */
    MessageHead(int max) {
        this.max = max;
    }

    void feed(ByteBuffer bytes) {
        ByteBuffer b = bytes.duplicate();
        int take = Math.min(b.remaining(), max - size);
        if (take <= 0) {
            return;
        }
        if (size + take > buf.length) {
            buf = Arrays.copyOf(buf, Math.min(max, Math.max(buf.length * 2, size + take)));
        }
        b.get(buf, size, take);
        size += take;
    }

    byte[] bytes() {
        return Arrays.copyOf(buf, size);
    }
}
