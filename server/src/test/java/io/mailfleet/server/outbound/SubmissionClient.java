package io.mailfleet.server.outbound;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * A submission (port 587) client that logs in with AUTH PLAIN and hands messages over. Test nodes run
 * without SSL_TYPE, so the submission port takes AUTH in the clear, as docker-mailserver does then.
 */
final class SubmissionClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** Connects, reads the greeting, says EHLO and logs in. */
    SubmissionClient(int port, String user, String password) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        expect(reply(), "220");
        expect(command("EHLO client.example"), "250");
        String plainAuth = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        expect(command("AUTH PLAIN " + plainAuth), "235");
    }

    /**
     * One transaction: {@code mailFrom} and each {@code rcptTo} are the full command arguments (DSN parameters
     * included). Returns the queue id from the final {@code 250 ... queued as ID} reply.
     */
    String send(String mailFrom, List<String> rcptTo, String message) throws IOException {
        expect(command("MAIL FROM:" + mailFrom), "250");
        for (String r : rcptTo) {
            expect(command("RCPT TO:" + r), "250");
        }
        expect(command("DATA"), "354");
        StringBuilder b = new StringBuilder();
        for (String line : message.split("\r\n", -1)) {
            b.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
        }
        if (message.endsWith("\r\n")) {
            b.setLength(b.length() - 2);
        }
        out.write(b.append(".\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        String end = reply();
        expect(end, "250");
        int at = end.lastIndexOf("queued as ");
        if (at < 0) {
            throw new IOException("no queue id in " + end);
        }
        return end.substring(at + "queued as ".length()).strip();
    }

    private String command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply();
    }

    private String reply() throws IOException {
        StringBuilder all = new StringBuilder();
        while (true) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                buf.write(c);
            }
            String line = buf.toString(StandardCharsets.UTF_8).replace("\r", "");
            if (c < 0 && line.isEmpty()) {
                throw new IOException("connection closed after: " + all);
            }
            all.append(line).append('\n');
            if (line.length() < 4 || line.charAt(3) != '-') {
                return all.toString().strip();
            }
        }
    }

    private static void expect(String reply, String code) throws IOException {
        if (!reply.startsWith(code)) {
            throw new IOException("expected " + code + " but got " + reply);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            command("QUIT");
        } catch (IOException ignored) {
            // the server may already have closed the connection
        }
        socket.close();
    }
}
