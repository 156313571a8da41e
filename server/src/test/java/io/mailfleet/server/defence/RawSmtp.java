package io.mailfleet.server.defence;

import io.mailfleet.testkit.Wire;

import java.io.IOException;
import java.net.Socket;

/**
 * An SMTP dialogue over the testkit {@link Wire} that presents {@code clientIp} with a PROXY v1 header,
 * so one loopback test can play clients from many networks (IPv4 and IPv6).
 */
final class RawSmtp implements AutoCloseable {

    private final Wire wire;

    RawSmtp(int port, String clientIp) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        wire = Wire.over(Wire.Protocol.SMTP, socket);
        String family = clientIp.contains(":") ? "TCP6" : "TCP4";
        String server = clientIp.contains(":") ? "2001:db8::25" : "192.0.2.25";
        send("PROXY " + family + " " + clientIp + " " + server + " 40000 25");
    }

    void send(String line) throws IOException {
        wire.send(line);
    }

    /** The last line of the next (possibly multi-line) reply. */
    String reply() throws IOException {
        String reply = wire.smtpReply();
        if (reply == null) {
            throw new IOException("connection closed");
        }
        return reply.substring(reply.lastIndexOf('\n') + 1);
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
        wire.close();
    }
}
