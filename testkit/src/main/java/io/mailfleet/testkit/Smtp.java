package io.mailfleet.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * SMTP dialogues scripted on a {@link Wire}: a transaction up to DATA, a submission login, a whole submission.
 * A reply other than the expected one is an {@link IOException}, so a test that kills a node can tell "the server
 * went away" from a passing step the same way it tells a broken socket.
 */
public final class Smtp {

    private Smtp() {
    }

    /** Sends a command line and requires a reply starting with {@code expectedCode}; returns the reply. */
    public static String command(Wire wire, String line, String expectedCode) throws IOException {
        wire.send(line);
        return require(wire.smtpReply(), expectedCode);
    }

    /** Reads the greeting, says EHLO and gives MAIL and RCPT; returns the EHLO reply. */
    public static String beginTransaction(Wire wire, String from, String to) throws IOException {
        require(wire.smtpReply(), "220");
        String ehlo = command(wire, "EHLO client.remote.example", "250");
        command(wire, "MAIL FROM:<" + from + ">", "250");
        command(wire, "RCPT TO:<" + to + ">", "250");
        return ehlo;
    }

    /** {@link #beginTransaction} and DATA, up to the 354. */
    public static void beginData(Wire wire, String from, String to) throws IOException {
        beginTransaction(wire, from, to);
        command(wire, "DATA", "354");
    }

    /** Sends the DATA terminator and returns the server's reply (null if it closed the connection). */
    public static String endData(Wire wire) throws IOException {
        wire.write(".\r\n");
        return wire.smtpReply();
    }

    /**
     * A submission (port 587) connection logged in with AUTH PLAIN, that says QUIT when closed. Test nodes run
     * without SSL_TYPE, so the submission port takes AUTH in the clear, as docker-mailserver does then.
     */
    public static Wire submission(int port, String user, String password) throws IOException {
        Wire wire = Wire.connect(Wire.Protocol.SMTP, port, 30_000);
        try {
            require(wire.smtpReply(), "220");
            command(wire, "EHLO client.example", "250");
            String plain = Base64.getEncoder()
                    .encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
            command(wire, "AUTH PLAIN " + plain, "235");
        } catch (IOException | RuntimeException e) {
            wire.close();
            throw e;
        }
        return wire.farewell("QUIT");
    }

    /**
     * One transaction: {@code mailFrom} and each {@code rcptTo} are the full command arguments (DSN parameters
     * included); the message is dot-stuffed. Returns the queue id from the final {@code 250 ... queued as ID}.
     */
    public static String submit(Wire wire, String mailFrom, List<String> rcptTo, String message) throws IOException {
        command(wire, "MAIL FROM:" + mailFrom, "250");
        for (String r : rcptTo) {
            command(wire, "RCPT TO:" + r, "250");
        }
        command(wire, "DATA", "354");
        StringBuilder b = new StringBuilder();
        for (String line : message.split("\r\n", -1)) {
            b.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
        }
        if (message.endsWith("\r\n")) {
            b.setLength(b.length() - 2);
        }
        wire.write(b.append(".\r\n").toString());
        String end = require(wire.smtpReply(), "250");
        int at = end.lastIndexOf("queued as ");
        if (at < 0) {
            throw new IOException("no queue id in " + end);
        }
        return end.substring(at + "queued as ".length()).strip();
    }

    /** Requires a reply (null: the server closed) that starts with {@code code}, on every line; returns it. */
    public static String require(String reply, String code) throws IOException {
        if (reply == null || !reply.startsWith(code) || !Wire.oneCode(reply)) {
            throw new IOException("expected " + code + " but got " + reply);
        }
        return reply;
    }
}
