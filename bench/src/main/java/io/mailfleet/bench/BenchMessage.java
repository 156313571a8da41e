package io.mailfleet.bench;

import java.nio.charset.StandardCharsets;
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

    /** {@code size} is the target total size in octets including headers and the final CRLF. */
    public BenchMessage(String from, List<String> to, int size, long seed) {
        this.from = from;
        this.to = List.copyOf(to);
        this.date = ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME);
        this.nonce = Long.toString(seed & 0xffffffL, 36);
        int headerLength = header(0).length;
        this.body = body(Math.max(2, size - headerLength), new Random(seed));
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
        StringBuilder h = new StringBuilder(512);
        h.append("From: Bench Sender <").append(from).append(">\r\n");
        h.append("To: ").append(String.join(", ", to)).append("\r\n");
        h.append("Subject: Mailfleet benchmark message ").append(n).append("\r\n");
        h.append("Date: ").append(date).append("\r\n");
        h.append("Message-ID: <bench.").append(nonce).append('.').append(n).append("@bench-client.example.org>\r\n");
        h.append("MIME-Version: 1.0\r\n");
        h.append("Content-Type: text/plain; charset=us-ascii; format=flowed\r\n");
        h.append("Content-Transfer-Encoding: 7bit\r\n");
        h.append("\r\n");
        return h.toString().getBytes(StandardCharsets.US_ASCII);
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
