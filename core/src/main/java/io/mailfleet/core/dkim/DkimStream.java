package io.mailfleet.core.dkim;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one message as it streams in, once: keeps its header section (up to a bound), picks the first
 * {@code maxSignatures} DKIM-Signature fields, and hashes the body for each signature's canonicalization
 * and l= while the body passes. Memory is the header section plus a few digests whatever the message;
 * fields beyond the bound are never parsed. Not thread-safe: one producer feeds it, then calls
 * {@link #finish()}.
 */
public final class DkimStream {

    private final int maxSignatures;
    private final int maxHeaderBytes;
    private final long now;
    private byte[] line = new byte[1024];
    private int lineLen;
    private final StringBuilder currentField = new StringBuilder();
    private final List<HeaderField> headers = new ArrayList<>();
    private long headerBytes;
    private boolean headerTooLarge;
    private boolean inBody;
    private final byte[] scratch = new byte[8192];
    /** Parsed signatures or the result of one that failed to parse, in header order. */
    private final List<Object> signatures = new ArrayList<>();
    private final Map<HashKey, Canonicalization.BodyHasher> hashers = new HashMap<>();
    private int notVerified;
    /** ARC-Message-Signature fields, parsed or failed, at most {@link #MAX_ARC_FIELDS}. */
    private final Map<HeaderField, Object> arcSignatures = new java.util.LinkedHashMap<>();
    private int arcFields;
    /** RFC 8617 §5.2: more than 50 ARC sets is a failed chain; three fields per set. */
    static final int MAX_ARC_FIELDS = 150;
    /** At most this many ARC-Message-Signatures are parsed and body-hashed (one per set). */
    static final int MAX_ARC_SETS = 50;

    private record HashKey(Canonicalization canon, long length) {
    }

    /**
     * @param maxSignatures  signatures verified at most (the first ones from the top); the rest are counted
     * @param maxHeaderBytes header section kept at most; a larger one gives a single permerror
     * @param clock          the verification time for x=
     */
    public DkimStream(int maxSignatures, int maxHeaderBytes, Clock clock) {
        if (maxSignatures < 1) {
            throw new IllegalArgumentException("maxSignatures must be at least 1");
        }
        this.maxSignatures = maxSignatures;
        this.maxHeaderBytes = maxHeaderBytes;
        this.now = clock.millis() / 1000;
    }

    /** The next bytes of the message; {@code bytes}' position moves to its limit. */
    public void feed(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            if (inBody) {
                int n = Math.min(bytes.remaining(), scratch.length);
                bytes.get(scratch, 0, n);
                body(scratch, 0, n);
            } else {
                headerByte(bytes.get());
            }
        }
    }

    /** The next bytes of the message. */
    public void feed(byte[] bytes, int off, int len) {
        feed(ByteBuffer.wrap(bytes, off, len));
    }

    private void headerByte(byte b) {
        if (++headerBytes > maxHeaderBytes) {
            headerTooLarge = true;
            startBody(); // nothing more is kept or hashed
            return;
        }
        if (b != '\n') {
            if (lineLen == line.length) {
                // the header bound (checked above) bounds the line too
                line = java.util.Arrays.copyOf(line, line.length * 2);
            }
            line[lineLen++] = b;
            return;
        }
        int len = lineLen > 0 && line[lineLen - 1] == '\r' ? lineLen - 1 : lineLen;
        String text = new String(line, 0, len, StandardCharsets.ISO_8859_1);
        lineLen = 0;
        if (text.isEmpty()) {
            endField();
            startBody();
            return;
        }
        char first = text.charAt(0);
        if (first == ' ' || first == '\t') {
            if (currentField.length() > 0) {
                currentField.append("\r\n").append(text);
            }
            return;
        }
        endField();
        if (text.indexOf(':') <= 0) {
            // not a field: the body began without the empty line
            startBody();
            byte[] bytes = (text + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            body(bytes, 0, bytes.length);
            return;
        }
        currentField.append(text);
    }

    private void endField() {
        if (currentField.length() == 0) {
            return;
        }
        String raw = currentField.toString();
        currentField.setLength(0);
        int colon = raw.indexOf(':');
        if (colon <= 0) {
            return;
        }
        HeaderField f = new HeaderField(raw.substring(0, colon).strip(), raw);
        headers.add(f);
        String lower = f.lowerName();
        if (lower.startsWith("arc-") && (lower.equals("arc-seal") || lower.equals("arc-message-signature")
                || lower.equals("arc-authentication-results")) && ++arcFields <= MAX_ARC_FIELDS
                && lower.equals("arc-message-signature")) {
            if (arcSignatures.size() >= MAX_ARC_SETS) {
                // more message signatures than sets a chain may have: the chain fails, nothing more is hashed
                arcFields = MAX_ARC_FIELDS + 1;
                return;
            }
            // the AMS body hash is computed in this same pass, like a DKIM signature's
            try {
                DkimSignature s = DkimSignature.parseArcMessageSignature(f, now);
                hashers.computeIfAbsent(new HashKey(s.bodyCanon, s.bodyLength),
                        k -> k.canon.bodyHasher(DkimSigner.sha256(), k.length));
                arcSignatures.put(f, s);
            } catch (DkimException e) {
                arcSignatures.put(f, partial(f, DkimResult.Status.FAIL, e.getMessage()));
            }
            return;
        }
        if (f.lowerName().equals("dkim-signature")) {
            if (signatures.size() >= maxSignatures) {
                notVerified++;
                return;
            }
            try {
                DkimSignature s = DkimSignature.parse(f, now);
                hashers.computeIfAbsent(new HashKey(s.bodyCanon, s.bodyLength),
                        k -> k.canon.bodyHasher(DkimSigner.sha256(), k.length));
                signatures.add(s);
            } catch (DkimFailure e) {
                signatures.add(partial(f, DkimResult.Status.FAIL, e.getMessage()));
            } catch (DkimException e) {
                signatures.add(partial(f, DkimResult.Status.PERMERROR, e.getMessage()));
            }
        }
    }

    private static DkimResult partial(HeaderField f, DkimResult.Status status, String detail) {
        return new DkimResult(DkimSignature.tagOrNull(f, "d"), DkimSignature.tagOrNull(f, "s"), status, detail);
    }

    private void startBody() {
        inBody = true;
        lineLen = 0;
        line = null;
        if (headerTooLarge) {
            headers.clear();
            signatures.clear();
            arcSignatures.clear();
            hashers.clear();
            currentField.setLength(0);
        }
    }

    private void body(byte[] b, int off, int len) {
        for (Canonicalization.BodyHasher h : hashers.values()) {
            h.update(b, off, len);
        }
    }

    /** Ends the message: the header section, the signatures and their body hashes, ready to verify. */
    public DkimMessage finish() {
        if (!inBody) {
            if (lineLen > 0) {
                headerByte((byte) '\n');
            }
            if (!inBody) {
                endField();
                startBody();
            }
        }
        if (headerTooLarge) {
            String why = "header section larger than " + maxHeaderBytes + " bytes";
            return new DkimMessage(List.of(), List.of(new DkimResult(null, null, DkimResult.Status.PERMERROR, why)),
                    Map.of(), 0, Map.of(), why);
        }
        Map<HashKey, byte[]> done = new HashMap<>();
        Map<HashKey, Long> lengths = new HashMap<>();
        hashers.forEach((k, h) -> {
            done.put(k, h.finish());
            lengths.put(k, h.canonicalLength());
        });
        List<Object> checked = new ArrayList<>();
        Map<DkimSignature, byte[]> bodyHashes = new HashMap<>();
        for (Object o : signatures) {
            if (o instanceof DkimSignature s) {
                HashKey k = new HashKey(s.bodyCanon, s.bodyLength);
                if (s.bodyLength >= 0 && lengths.get(k) < s.bodyLength) {
                    checked.add(s.result(DkimResult.Status.FAIL, "body shorter than l=" + s.bodyLength));
                    continue;
                }
                bodyHashes.put(s, done.get(k));
            }
            checked.add(o);
        }
        Map<HeaderField, Object> arc = new java.util.LinkedHashMap<>();
        arcSignatures.forEach((f, o) -> {
            if (o instanceof DkimSignature s) {
                HashKey k = new HashKey(s.bodyCanon, s.bodyLength);
                if (s.bodyLength >= 0 && lengths.get(k) < s.bodyLength) {
                    arc.put(f, s.result(DkimResult.Status.FAIL, "body shorter than l=" + s.bodyLength));
                    return;
                }
                bodyHashes.put(s, done.get(k));
            }
            arc.put(f, o);
        });
        return new DkimMessage(List.copyOf(headers), checked, bodyHashes, notVerified, arc,
                arcFields > MAX_ARC_FIELDS ? "more than 50 ARC sets" : null);
    }
}
