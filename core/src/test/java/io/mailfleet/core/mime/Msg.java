package io.mailfleet.core.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test helpers: build messages and slice them by offsets. */
final class Msg {

    private Msg() {
    }

    /** LF-separated text with every LF turned into CRLF. */
    static byte[] crlf(String text) {
        return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static MessageSummary parse(byte[] raw) {
        try {
            return MessageParser.parse(new ByteArrayInputStream(raw));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String slice(byte[] raw, long start, long end) {
        return new String(raw, (int) start, (int) (end - start), StandardCharsets.UTF_8);
    }

    static String range(byte[] raw, Sections.Range r) {
        return slice(raw, r.offset(), r.offset() + r.length());
    }
}
