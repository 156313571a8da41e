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

/** A raw, scripted SMTP client over a plain socket: the test sees every byte the server answered. */
final class SmtpWire implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    SmtpWire(int port, int readTimeoutMillis) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(readTimeoutMillis);
        in = new BufferedInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** A connection through a PROXY protocol load balancer: the node sees {@code clientIp} as the client. */
    SmtpWire(int port, int readTimeoutMillis, String clientIp) throws IOException {
        socket = Proxied.connect(port, clientIp, readTimeoutMillis);
        in = new BufferedInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** Reads the greeting and opens a transaction from {@code from} to {@code to}, up to the 354 of DATA. */
    void beginData(String from, String to) throws IOException {
        beginTransaction(from, to);
        command("DATA", "354");
    }

    /** Reads the greeting, says EHLO and gives MAIL and RCPT; returns the EHLO reply. */
    String beginTransaction(String from, String to) throws IOException {
        expect(readReply(), "220");
        send("EHLO client.remote.example\r\n");
        String ehlo = readReply();
        expect(ehlo, "250");
        command("MAIL FROM:<" + from + ">", "250");
        command("RCPT TO:<" + to + ">", "250");
        return ehlo;
    }

    void command(String line, String expectedCode) throws IOException {
        send(line + "\r\n");
        expect(readReply(), expectedCode);
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    OutputStream out() {
        return out;
    }

    /** Sends the DATA terminator and returns the server's reply. */
    String endData() throws IOException {
        send(".\r\n");
        return readReply();
    }

    /** The full (possibly multi-line) reply, or {@code null} at end of stream. */
    String readReply() throws IOException {
        StringBuilder all = new StringBuilder();
        while (true) {
            String line = readLine();
            if (line == null) {
                return all.length() == 0 ? null : all.toString();
            }
            all.append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return all.toString();
            }
            all.append('\n');
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String s = buf.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            buf.write(b);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
    }

    private static void expect(String reply, String code) throws IOException {
        if (reply == null || !reply.startsWith(code)) {
            throw new IOException("expected " + code + " but got " + reply);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
