package io.mailfleet.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** A line-oriented client of any mail protocol over a socket bound to a chosen loopback source address. */
final class LineClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;

    /** Connects from {@code source} (any 127.x address on Linux) to 127.0.0.1:{@code port}. */
    LineClient(String source, int port) throws IOException {
        socket = new Socket();
        socket.bind(new InetSocketAddress(source, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
    }

    void send(String line) throws IOException {
        socket.getOutputStream().write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** The next line without CRLF; null at end of stream. */
    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        try {
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    String s = b.toString(StandardCharsets.UTF_8);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                b.write(c);
            }
        } catch (SocketException reset) {
            // a reset after the server's goodbye counts as its end of stream
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    /** Reads lines until one starts with {@code prefix}; null when the stream ends first. */
    String until(String prefix) throws IOException {
        String l;
        while ((l = line()) != null) {
            if (l.startsWith(prefix)) {
                return l;
            }
        }
        return null;
    }

    /** Whether the server has closed the connection (end of stream next). */
    boolean closedByServer() throws IOException {
        return line() == null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
