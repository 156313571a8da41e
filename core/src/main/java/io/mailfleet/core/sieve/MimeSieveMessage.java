package io.mailfleet.core.sieve;

import io.mailfleet.core.mime.MessageParser;
import io.mailfleet.core.mime.MessageSummary;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * A {@link SieveMessage} built from the raw RFC 5322 bytes and the SMTP envelope, parsed with the server's one
 * MIME parser ({@link MessageParser}).
 */
public final class MimeSieveMessage implements SieveMessage {

    private final byte[] raw;
    private final String from;
    private final String to;
    private final String originalTo;
    private final ZonedDateTime received;
    private final List<Header> headers;
    private final int bodyOffset;
    private List<Part> parts;

    public MimeSieveMessage(byte[] raw, String envelopeFrom, String envelopeTo, String originalEnvelopeTo,
                            ZonedDateTime received) {
        this.raw = raw.clone();
        this.from = envelopeFrom == null ? "" : envelopeFrom;
        this.to = envelopeTo;
        this.originalTo = originalEnvelopeTo == null ? envelopeTo : originalEnvelopeTo;
        this.received = received;
        this.bodyOffset = bodyOffset(this.raw);
        this.headers = parseHeaders(new String(this.raw, 0, bodyOffset, StandardCharsets.UTF_8));
    }

    @Override
    public String envelopeFrom() {
        return from;
    }

    @Override
    public String envelopeTo() {
        return to;
    }

    @Override
    public String originalEnvelopeTo() {
        return originalTo;
    }

    @Override
    public List<Header> headers() {
        return headers;
    }

    @Override
    public long size() {
        return raw.length;
    }

    @Override
    public synchronized List<Part> parts() {
        if (parts == null) {
            try {
                MessageSummary summary = MessageParser.parse(new ByteArrayInputStream(raw));
                parts = SieveParts.of(summary, (start, end) -> new ByteArrayInputStream(raw, (int) start,
                        (int) (end - start)), raw.length);
            } catch (IOException | RuntimeException e) {
                // An unparseable MIME structure is still text to Sieve: fall back to the raw body.
                parts = List.of(new Part("text/plain", rawBody()));
            }
        }
        return parts;
    }

    @Override
    public String rawBody() {
        return new String(raw, bodyOffset, raw.length - bodyOffset, StandardCharsets.UTF_8);
    }

    @Override
    public ZonedDateTime received() {
        return received;
    }

    private static int bodyOffset(byte[] raw) {
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n') {
                if (i + 1 < raw.length && raw[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < raw.length && raw[i + 1] == '\r' && raw[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return raw.length;
    }

    private static List<Header> parseHeaders(String block) {
        return SieveHeaders.parse(block);
    }
}
