package io.mailfleet.cli.sendmail;

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

/**
 * Hands one message to the local node over SMTP on loopback, as Postfix's sendmail hands it to
 * pickup: the node's port 25 listener trusts loopback (Postfix's mynetworks default), so local
 * programs may send anywhere without a password. Blocking: the CLI is a short-lived process.
 */
public final class LocalSubmission {

    /** A reply the node gave, with the command it answered. */
    public record Refusal(String command, int code, String text) {
        public boolean permanent() {
            return code >= 500;
        }

        @Override
        public String toString() {
            return code + " " + text + " (in reply to " + command + ")";
        }
    }

    /** What became of the message: accepted with the node's reply, or refused. */
    public record Outcome(boolean accepted, String queued, List<Refusal> refusals) {
        public Outcome {
            refusals = List.copyOf(refusals);
        }
    }

    private static final int TIMEOUT_MILLIS = 60_000;

    private LocalSubmission() {
    }

    /** Sends {@code message} from {@code sender} to {@code recipients} through {@code host}:{@code port}. */
    public static Outcome send(String host, int port, String heloName, String sender, List<String> recipients,
                               byte[] message) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            List<Refusal> refusals = new ArrayList<>();
            Reply r = read(in);
            if (r.code != 220) {
                return refused(new Refusal("connect", r.code, r.text));
            }
            r = command(out, in, "EHLO " + heloName);
            if (r.code != 250) {
                return refused(new Refusal("EHLO", r.code, r.text));
            }
            boolean eightBit = r.text.contains("8BITMIME");
            boolean utf8 = r.text.contains("SMTPUTF8");
            String mail = "MAIL FROM:<" + sender + ">" + (eightBit && !ascii(message) ? " BODY=8BITMIME" : "")
                    + (utf8 && !ascii(sender.getBytes(StandardCharsets.UTF_8)) ? " SMTPUTF8" : "");
            r = command(out, in, mail);
            if (r.code != 250) {
                return refused(new Refusal("MAIL FROM", r.code, r.text));
            }
            int accepted = 0;
            for (String rcpt : recipients) {
                r = command(out, in, "RCPT TO:<" + rcpt + ">");
                if (r.code == 250 || r.code == 251) {
                    accepted++;
                } else {
                    refusals.add(new Refusal("RCPT TO:<" + rcpt + ">", r.code, r.text));
                }
            }
            if (accepted == 0) {
                command(out, in, "QUIT");
                return new Outcome(false, null, refusals);
            }
            r = command(out, in, "DATA");
            if (r.code != 354) {
                refusals.add(new Refusal("DATA", r.code, r.text));
                return new Outcome(false, null, refusals);
            }
            writeDotStuffed(out, message);
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            r = read(in);
            if (r.code != 250) {
                refusals.add(new Refusal("end of DATA", r.code, r.text));
                return new Outcome(false, null, refusals);
            }
            command(out, in, "QUIT");
            return new Outcome(true, r.text, refusals);
        }
    }

    private static Outcome refused(Refusal r) {
        return new Outcome(false, null, List.of(r));
    }

    private static boolean ascii(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                return false;
            }
        }
        return true;
    }

    private static void writeDotStuffed(OutputStream out, byte[] message) throws IOException {
        boolean lineStart = true;
        for (byte b : message) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
    }

    private record Reply(int code, String text) {
    }

    private static Reply command(OutputStream out, InputStream in, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return read(in);
    }

    /** One reply, multi-line ones joined with newlines (codes stripped). */
    private static Reply read(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        while (true) {
            String line = line(in);
            if (line == null) {
                throw new IOException("the node closed the connection");
            }
            if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
                throw new IOException("the node answered something that is not SMTP: " + line);
            }
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) != '-') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), text.toString());
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(80);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            if (b.size() > 4096) {
                throw new IOException("reply line too long");
            }
            b.write(c);
        }
        return null;
    }
}
