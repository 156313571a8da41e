package io.mailfleet.server.scan;

import io.mailfleet.core.spam.classifier.MessageText;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** The first {@link MessageText#MAX_BYTES} octets of a message as it streams in: what the classifier reads. */
final class MessageHead {

    private byte[] buf = new byte[8192];
    private int size;

    void feed(ByteBuffer bytes) {
        ByteBuffer b = bytes.duplicate();
        int take = Math.min(b.remaining(), MessageText.MAX_BYTES - size);
        if (take <= 0) {
            return;
        }
        if (size + take > buf.length) {
            buf = Arrays.copyOf(buf, Math.min(MessageText.MAX_BYTES, Math.max(buf.length * 2, size + take)));
        }
        b.get(buf, size, take);
        size += take;
    }

    byte[] bytes() {
        return Arrays.copyOf(buf, size);
    }
}
