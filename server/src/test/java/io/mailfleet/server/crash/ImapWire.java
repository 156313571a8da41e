package io.mailfleet.server.crash;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A raw IMAP client for load tests: literals in responses are counted and skipped, never kept, so
 * twenty sessions fetching megabytes of headers cost the test JVM no memory.
 */
final class ImapWire implements AutoCloseable {

    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\}$");
    private static final int KEPT_LINE = 2000;

    /** The tagged reply, the untagged lines (literal bytes left out, cut at 2000 chars), literal octets skipped. */
    record Reply(String tagged, List<String> untagged, long literalOctets) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    ImapWire(int port, int readTimeoutMillis) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(readTimeoutMillis);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        String greeting = line();
        if (!greeting.startsWith("* OK")) {
            throw new IOException("unexpected greeting " + greeting);
        }
    }

    Reply command(String tag, String command) throws IOException {
        send(tag + " " + command + "\r\n");
        return reply(tag);
    }

    /** APPEND of {@code message} to {@code folder} with a non-synchronizing literal. */
    Reply append(String tag, String folder, byte[] message) throws IOException {
        send(tag + " APPEND " + folder + " {" + message.length + "+}\r\n");
        out.write(message);
        send("\r\n");
        return reply(tag);
    }

    private void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    Reply reply(String tag) throws IOException {
        List<String> untagged = new ArrayList<>();
        long literals = 0;
        while (true) {
            StringBuilder response = new StringBuilder();
            while (true) {
                String l = line();
                append(response, l);
                Matcher m = LITERAL.matcher(l);
                if (!m.find()) {
                    break;
                }
                long n = Long.parseLong(m.group(1));
                in.skipNBytes(n);
                literals += n;
            }
            String r = response.toString();
            if (r.startsWith(tag + " ")) {
                return new Reply(r, untagged, literals);
            }
            untagged.add(r);
        }
    }

    private static void append(StringBuilder sb, String l) {
        if (sb.length() < KEPT_LINE) {
            sb.append(l, 0, Math.min(l.length(), KEPT_LINE - sb.length()));
        }
    }

    /** One line without its CRLF; at most 64 KiB are kept of a longer one. */
    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (b.size() < 64 * 1024) {
                b.write(c);
            }
        }
        if (c < 0) {
            throw new IOException("connection closed by the server");
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
