package io.mailfleet.core.sieve;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.ParseException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/** A {@link SieveMessage} built from the raw RFC 5322 bytes and the SMTP envelope, parsed with Jakarta Mail. */
public final class MimeSieveMessage implements SieveMessage {
    private static final int MAX_DEPTH = 20;
    private static final Session SESSION = Session.getInstance(new Properties());

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
            List<Part> out = new ArrayList<>();
            try {
                MimeMessage m = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
                collect(m, out, 0);
            } catch (MessagingException | IOException | RuntimeException e) {
                // An unparseable MIME structure is still text to Sieve: fall back to the raw body.
                out.clear();
                out.add(new Part("text/plain", rawBody()));
            }
            parts = Collections.unmodifiableList(out);
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

    private static void collect(jakarta.mail.Part p, List<Part> out, int depth) throws MessagingException,
            IOException {
        String type = baseType(p.getContentType());
        if (type.startsWith("multipart/") && depth < MAX_DEPTH) {
            Object content = p.getContent();
            if (content instanceof Multipart mp) {
                for (int i = 0; i < mp.getCount(); i++) {
                    BodyPart bp = mp.getBodyPart(i);
                    collect(bp, out, depth + 1);
                }
                return;
            }
        }
        if (type.startsWith("text/")) {
            out.add(new Part(type, text(p)));
            return;
        }
        out.add(new Part(type, ""));
    }

    /** Decoded text; an unknown charset falls back to UTF-8 of the transfer-decoded bytes. */
    private static String text(jakarta.mail.Part p) {
        try {
            Object content = p.getContent();
            if (content instanceof String s) {
                return s;
            }
        } catch (IOException | MessagingException e) {
            // unknown charset or broken encoding: read the bytes below
        }
        try (InputStream in = p.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | MessagingException e) {
            return "";
        }
    }

    private static String baseType(String contentType) {
        if (contentType == null) {
            return "text/plain";
        }
        try {
            return new ContentType(contentType).getBaseType().toLowerCase(Locale.ROOT);
        } catch (ParseException e) {
            return "text/plain";
        }
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
        List<Header> out = new ArrayList<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String line : block.split("\r?\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
                value.append("\r\n").append(line);
                continue;
            }
            if (name != null) {
                out.add(new Header(name, value.toString()));
                name = null;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                name = line.substring(0, colon).strip();
                value.setLength(0);
                value.append(line.substring(colon + 1).stripLeading());
            }
        }
        if (name != null) {
            out.add(new Header(name, value.toString()));
        }
        return Collections.unmodifiableList(out);
    }
}
