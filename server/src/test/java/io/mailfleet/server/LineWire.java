package io.mailfleet.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A line-oriented test client on a plain socket, for protocols that answer line by line. */
final class LineWire implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    LineWire(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** A line without CRLF, or null at the end of the connection. */
    String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            sb.append((char) c);
        }
        if (c < 0 && sb.length() == 0) {
            return null;
        }
        String s = sb.toString();
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Sends a line and returns the next one. */
    String ask(String line) throws IOException {
        send(line);
        return line();
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads lines up to and including the first that starts with {@code prefix}. */
    String until(String prefix) throws IOException {
        String l;
        while ((l = line()) != null && !l.startsWith(prefix)) {
            // capabilities and the like
        }
        return l;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
