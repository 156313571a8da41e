package io.mailfleet.server.scan;

import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.protocols.smtp.check.MessageAttempt;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SpamAssassin's spamd, asked with {@code SYMBOLS} (SPAMC/1.5): the stored message streamed from the
 * blob, then spamd's score and the names of the rules that hit, mapped onto {@link SpamThresholds}.
 * spamd's own {@code required_score} is not used: the thresholds are docker-mailserver's variables.
 * Authenticated and trusted clients are left alone unless {@code check-authenticated}.
 */
public final class SpamdScanner extends SpamScanner {

    private static final Pattern STATUS = Pattern.compile("SPAMD/\\d+\\.\\d+ (\\d+) (.*)");
    private static final Pattern SPAM = Pattern.compile("(?i)spam:\\s*(true|false|yes|no)\\s*;\\s*(-?[0-9.]+)\\s*/\\s*(-?[0-9.]+)");

    private final BlobStore blobs;
    private final SocketAddress address;
    private final String user;
    private final SpamThresholds thresholds;

    public SpamdScanner(BlobStore blobs, SocketAddress address, long sizeLimit, String user, boolean checkRelay,
                        SpamThresholds thresholds) {
        super(sizeLimit, checkRelay);
        this.blobs = blobs;
        this.address = address;
        this.user = user;
        this.thresholds = thresholds;
    }

    @Override
    public String name() {
        return "spamassassin";
    }

    @Override
    public java.util.concurrent.CompletableFuture<ScanVerdict> scan(MessageAttempt attempt) {
        return SocketCall.run(address, ch -> {
            StringBuilder head = new StringBuilder("SYMBOLS SPAMC/1.5\r\nContent-length: ")
                    .append(attempt.size()).append("\r\n");
            if (!user.isEmpty()) {
                head.append("User: ").append(user).append("\r\n");
            }
            head.append("\r\n");
            SocketCall.writeFully(ch, ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.US_ASCII)));
            send(ch, attempt);
            ch.shutdownOutput();
            return verdict(new String(SocketCall.readAnswer(ch, 64 * 1024, b -> false), StandardCharsets.UTF_8));
        });
    }

    private void send(SocketChannel ch, MessageAttempt attempt) throws IOException {
        byte[] buf = new byte[ClamdScanner.CHUNK];
        try (InputStream in = blobs.open(attempt.message())) {
            int n;
            while ((n = in.read(buf)) > 0) {
                SocketCall.writeFully(ch, ByteBuffer.wrap(buf, 0, n));
            }
        }
    }

    /** spamd's answer: status line, headers with {@code Spam: True ; 7.2 / 5.0}, then the rule names. */
    ScanVerdict verdict(String answer) {
        int split = answer.indexOf("\r\n\r\n");
        String head = split < 0 ? answer : answer.substring(0, split);
        String body = split < 0 ? "" : answer.substring(split + 4).trim();
        String[] lines = head.split("\r\n");
        Matcher status = STATUS.matcher(lines[0]);
        if (!status.matches()) {
            throw new ScanFailure(ScanFailure.Kind.ERROR,
                    "spamd answered \"" + ClamdScanner.printable(lines[0]) + "\"", null);
        }
        if (!status.group(1).equals("0")) {
            throw new ScanFailure(ScanFailure.Kind.ERROR, "spamd: " + ClamdScanner.printable(status.group(2)), null);
        }
        for (String line : lines) {
            Matcher m = SPAM.matcher(line);
            if (m.find()) {
                double score;
                try {
                    score = Double.parseDouble(m.group(2));
                } catch (NumberFormatException e) {
                    break;
                }
                List<String> tests = body.isEmpty() ? List.of()
                        : Arrays.stream(body.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
                return thresholds.apply(score, tests);
            }
        }
        throw new ScanFailure(ScanFailure.Kind.ERROR, "spamd's answer has no score", null);
    }
}
