package io.mailfleet.server.imap;

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

/** A scripted IMAP client over a plain socket: sends lines, reads responses with their literals. */
public final class RawImap implements AutoCloseable {
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\}$");
    private final Socket socket;
    private InputStream in;
    private OutputStream out;
    final String greeting;

    RawImap(int port) throws IOException {
        this(timed(new Socket("127.0.0.1", port)));
    }

    /** A session on a socket the caller connected (e.g. behind a PROXY header), greeting read. */
    public RawImap(Socket connected) throws IOException {
        socket = connected;
        in = socket.getInputStream();
        out = socket.getOutputStream();
        greeting = readLine();
    }

    private static Socket timed(Socket s) throws IOException {
        s.setSoTimeout(20_000);
        return s;
    }

    /** The server's greeting line. */
    public String greeting() {
        return greeting;
    }

    public void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void sendBytes(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /** Sends {@code tag command} and returns every response line up to and including the tagged one. */
    public List<String> command(String tag, String command) throws IOException {
        send(tag + " " + command + "\r\n");
        return until(tag);
    }

    public List<String> until(String tag) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = readResponse();
            lines.add(l);
            if (l.startsWith(tag + " ")) {
                return lines;
            }
        }
    }

    /** One response line with literals inlined. */
    public String readResponse() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            String l = readLine();
            sb.append(l);
            Matcher m = LITERAL.matcher(l);
            if (!m.find()) {
                return sb.toString();
            }
            int n = Integer.parseInt(m.group(1));
            byte[] b = in.readNBytes(n);
            sb.append("\r\n").append(new String(b, StandardCharsets.UTF_8));
        }
    }

    public String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            b.write(c);
        }
        if (c < 0 && b.size() == 0) {
            throw new IOException("connection closed");
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** After a tagged OK to COMPRESS DEFLATE: raw DEFLATE both ways, flushed per send (RFC 4978). */
    void startCompression() {
        in = new java.util.zip.InflaterInputStream(in, new java.util.zip.Inflater(true));
        out = new java.util.zip.DeflaterOutputStream(out, new java.util.zip.Deflater(6, true), true);
    }

    public static String last(List<String> lines) {
        return lines.get(lines.size() - 1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
