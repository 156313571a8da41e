package io.mailfleet.server.scan;

import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.MessageAttempt;
import io.mailfleet.protocols.smtp.check.MessageStart;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * clamd's {@code zINSTREAM}: the stored message in length-prefixed chunks read one at a time from the
 * blob store (never the whole message in memory), then clamd's one-line answer. A virus refuses the
 * message with {@code 554 5.7.1 Virus found: <name>}; every client on the ports it runs on is scanned,
 * trusted and authenticated ones too (a colleague's infected laptop is the usual source).
 */
public final class ClamdScanner implements Scanner {

    static final int CHUNK = 64 * 1024;
    private static final byte[] COMMAND = "zINSTREAM\0".getBytes(StandardCharsets.US_ASCII);

    private final BlobStore blobs;
    private final SocketAddress address;
    private final long sizeLimit;

    public ClamdScanner(BlobStore blobs, SocketAddress address, long sizeLimit) {
        this.blobs = blobs;
        this.address = address;
        this.sizeLimit = sizeLimit;
    }

    @Override
    public String name() {
        return "clamav";
    }

    @Override
    public long sizeLimit() {
        return sizeLimit;
    }

    @Override
    public boolean concerns(MessageStart start) {
        return true;
    }

    @Override
    public String unavailableText() {
        return "Virus scan unavailable, try again later";
    }

    @Override
    public CompletableFuture<ScanVerdict> scan(MessageAttempt attempt) {
        return SocketCall.run(address, ch -> verdict(answer(stream(ch, attempt))));
    }

    private SocketChannel stream(SocketChannel ch, MessageAttempt attempt) throws IOException {
        SocketCall.writeFully(ch, ByteBuffer.wrap(COMMAND));
        ByteBuffer chunk = ByteBuffer.allocate(4 + CHUNK);
        try (InputStream in = blobs.open(attempt.message())) {
            while (true) {
                chunk.clear();
                int n = in.readNBytes(chunk.array(), 4, CHUNK);
                chunk.putInt(0, n);
                chunk.limit(4 + n);
                try {
                    SocketCall.writeFully(ch, chunk);
                } catch (IOException e) {
                    // clamd drops the connection past its StreamMaxLength; its answer then says why
                    if (!ch.isOpen()) {
                        throw e;
                    }
                    return ch;
                }
                if (n == 0) {
                    return ch; // the zero-length chunk ends the stream
                }
            }
        }
    }

    private static String answer(SocketChannel ch) throws IOException {
        byte[] a = SocketCall.readAnswer(ch, 4096, b -> b.length > 0 && b[b.length - 1] == 0);
        int end = a.length > 0 && a[a.length - 1] == 0 ? a.length - 1 : a.length;
        return new String(a, 0, end, StandardCharsets.UTF_8).trim();
    }

    /** clamd's answer: {@code stream: OK}, {@code stream: <name> FOUND}, or an error. */
    static ScanVerdict verdict(String answer) {
        if (answer.equals("stream: OK")) {
            return new ScanVerdict(CheckResult.ACCEPT, "clean");
        }
        if (answer.startsWith("stream: ") && answer.endsWith(" FOUND")) {
            String name = printable(answer.substring("stream: ".length(), answer.length() - " FOUND".length()));
            if (!name.isEmpty()) {
                return new ScanVerdict(new CheckResult.Refuse(new SmtpReply(554, "5.7.1", "Virus found: " + name),
                        "virus " + name), "virus " + name);
            }
        }
        throw new ScanFailure(ScanFailure.Kind.ERROR, "clamd answered \"" + printable(answer) + "\"", null);
    }

    /** What of a scanner's text may go into a reply or a header: printable ASCII, at most 200 chars. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            }
        }
        return b.toString().trim();
    }
}
