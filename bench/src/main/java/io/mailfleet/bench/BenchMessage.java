package io.mailfleet.bench;

import io.mailfleet.core.dkim.DkimException;
import io.mailfleet.core.dkim.DkimSigner;
import io.mailfleet.core.dkim.DkimSigningKey;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;

/**
 * Builds realistic RFC 5322 plain-text messages of about a given size: the usual headers and a body of
 * 7-bit text lines under 78 characters, none starting with a dot, so no dot-stuffing is ever needed.
 * The body is built once and shared; only the headers change per message.
 */
public final class BenchMessage {

    private static final String[] WORDS = ("the queue keeps every accepted message durable before the reply "
            + "mailbox folder delivery retry cluster node shard journal snapshot blob store group commit "
            + "latency throughput client server envelope header body line octet transfer encoding plain "
            + "text report meeting schedule tomorrow afternoon please review attached figures thanks regards")
            .split(" ");

    private final String from;
    private final List<String> to;
    private final String date;
    private final String nonce;
    private final byte[] body;
    private final String signature;

    /** {@code size} is the target total size in octets including headers and the final CRLF. */
    public BenchMessage(String from, List<String> to, int size, long seed) {
        this(from, to, size, seed, null);
    }

    /**
     * With a key, every message carries a DKIM signature of that key over the fixed header fields
     * (From, To, Date, MIME ones) and the shared body, computed once here: Subject and Message-ID,
     * which change per message, are left out of its {@code h=} so the one signature verifies for all.
     */
    public BenchMessage(String from, List<String> to, int size, long seed, DkimSigningKey key) {
        this.from = from;
        this.to = List.copyOf(to);
        this.date = ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME);
        this.nonce = Long.toString(seed & 0xffffffL, 36);
        int headerLength = header(0, "").length;
        byte[] b = body(Math.max(2, size - headerLength), new Random(seed));
        String sig = "";
        if (key != null) {
            // Sign once to learn the field's length, then again over a body shortened by it, so the size holds.
            sig = sign(key, b);
            b = body(Math.max(2, size - headerLength - sig.length()), new Random(seed));
            sig = sign(key, b);
        }
        this.body = b;
        this.signature = sig;
    }

    private String sign(DkimSigningKey key, byte[] b) {
        ByteArrayOutputStream m = new ByteArrayOutputStream(b.length + 512);
        m.writeBytes(fixedFields().toString().getBytes(StandardCharsets.US_ASCII));
        m.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        m.writeBytes(b);
        try {
            return new DkimSigner(key, Clock.systemUTC()).sign(new ByteArrayInputStream(m.toByteArray()));
        } catch (IOException | DkimException e) {
            throw new IllegalStateException("bench: DKIM signing of the bench message failed: " + e.getMessage(), e);
        }
    }

    /** The headers of message {@code n} followed by the blank line; the body follows them. */
    public byte[] headerOf(long n) {
        return header(n);
    }

    /** The shared body (after the blank line), ending in CRLF. */
    public byte[] body() {
        return body;
    }

    /** Total size in octets of message {@code n}. */
    public int size(long n) {
        return header(n).length + body.length;
    }

    private byte[] header(long n) {
        return header(n, signature);
    }

    private byte[] header(long n, String sig) {
        StringBuilder h = new StringBuilder(1024);
        h.append(sig);
        h.append("Subject: Mailfleet benchmark message ").append(n).append("\r\n");
        h.append("Message-ID: <bench.").append(nonce).append('.').append(n).append("@bench-client.example.org>\r\n");
        h.append(fixedFields());
        h.append("\r\n");
        return h.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The header fields that are the same in every message (the signed ones). */
    private StringBuilder fixedFields() {
        StringBuilder h = new StringBuilder(512);
        h.append("From: Bench Sender <").append(from).append(">\r\n");
        h.append("To: ").append(String.join(", ", to)).append("\r\n");
        h.append("Date: ").append(date).append("\r\n");
        h.append("MIME-Version: 1.0\r\n");
        h.append("Content-Type: text/plain; charset=us-ascii; format=flowed\r\n");
        h.append("Content-Transfer-Encoding: 7bit\r\n");
        return h;
    }

    static byte[] body(int length, Random random) {
        StringBuilder b = new StringBuilder(length + 80);
        StringBuilder line = new StringBuilder(80);
        // Random word lines while more than one full line fits, then one padding line of the exact rest.
        while (length - b.length() > 76) {
            line.setLength(0);
            while (true) {
                String w = WORDS[random.nextInt(WORDS.length)];
                int extra = (line.length() == 0 ? 0 : 1) + w.length();
                if (line.length() + extra > 72) {
                    break;
                }
                if (line.length() > 0) {
                    line.append(' ');
                }
                line.append(w);
            }
            b.append(line).append("\r\n");
        }
        int rest = length - b.length();
        b.append("x".repeat(Math.max(0, rest - 2))).append("\r\n");
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
