package io.mailfleet.server.defence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain SMTP client on a real socket that presents {@code clientIp} with a PROXY v1 header. */
final class RawSmtp implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    RawSmtp(int port, String clientIp) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        out = socket.getOutputStream();
        String family = clientIp.contains(":") ? "TCP6" : "TCP4";
        String server = clientIp.contains(":") ? "2001:db8::25" : "192.0.2.25";
        send("PROXY " + family + " " + clientIp + " " + server + " 40000 25");
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The last line of the next (possibly multi-line) reply. */
    String reply() throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed");
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    String command(String line) throws IOException {
        send(line);
        return reply();
    }

    /** Banner, EHLO and MAIL FROM, then the reply to RCPT TO. */
    static String rcpt(int port, String clientIp, String sender, String recipient) throws IOException {
        try (RawSmtp c = new RawSmtp(port, clientIp)) {
            String banner = c.reply();
            if (!banner.startsWith("220 ")) {
                throw new IOException("banner: " + banner);
            }
            c.command("EHLO client.example.org");
            String mail = c.command("MAIL FROM:<" + sender + ">");
            if (!mail.startsWith("250 ")) {
                throw new IOException("MAIL: " + mail);
            }
            String answer = c.command("RCPT TO:<" + recipient + ">");
            c.command("QUIT");
            return answer;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
