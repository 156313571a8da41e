package io.mailfleet.ops.crash;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A scripted IMAP client over a plain socket behind a PROXY header: sends lines, reads responses with literals. */
final class ImapWire implements AutoCloseable {

    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\}$");

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    final String greeting;

    ImapWire(int port, String clientIp) throws IOException {
        socket = Proxied.connect(port, clientIp, 30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        greeting = readLine();
    }

    void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Sends {@code tag command} and returns every response up to and including the tagged one. */
    List<String> command(String tag, String command) throws IOException {
        send(tag + " " + command + "\r\n");
        return until(tag);
    }

    List<String> until(String tag) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = readResponse();
            lines.add(l);
            if (l.startsWith(tag + " ")) {
                return lines;
            }
        }
    }

    /** One response with its literals inlined. */
    String readResponse() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            String l = readLine();
            sb.append(l);
            Matcher m = LITERAL.matcher(l);
            if (!m.find()) {
                return sb.toString();
            }
            byte[] b = in.readNBytes(Integer.parseInt(m.group(1)));
            sb.append("\r\n").append(new String(b, StandardCharsets.UTF_8));
        }
    }

    String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            b.write(c);
        }
        if (c < 0 && b.size() == 0) {
            throw new IOException("connection closed");
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    static String last(List<String> lines) {
        return lines.get(lines.size() - 1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
