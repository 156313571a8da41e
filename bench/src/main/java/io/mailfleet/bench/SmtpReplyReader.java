package io.mailfleet.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Reads one SMTP reply (possibly multi-line, RFC 5321 §4.2.1) from a buffered stream. */
final class SmtpReplyReader {

    private static final int MAX_LINE = 4096;

    private final InputStream in;
    private final StringBuilder line = new StringBuilder(128);

    SmtpReplyReader(InputStream in) {
        this.in = in;
    }

    /** One reply: its code and all its lines joined by a newline. */
    record Reply(int code, String text) {

        boolean positive() {
            return code >= 200 && code < 300;
        }

        @Override
        public String toString() {
            return text.replace('\n', ' ');
        }
    }

    Reply read() throws IOException {
        StringBuilder all = new StringBuilder();
        while (true) {
            String l = readLine();
            if (l.length() < 3 || !Character.isDigit(l.charAt(0)) || !Character.isDigit(l.charAt(1))
                    || !Character.isDigit(l.charAt(2))) {
                throw new IOException("malformed SMTP reply line: '" + l + "'");
            }
            if (all.length() > 0) {
                all.append('\n');
            }
            all.append(l);
            if (l.length() == 3 || l.charAt(3) != '-') {
                return new Reply(Integer.parseInt(l.substring(0, 3)), all.toString());
            }
        }
    }

    private String readLine() throws IOException {
        line.setLength(0);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (b == '\n') {
                int n = line.length();
                if (n > 0 && line.charAt(n - 1) == '\r') {
                    line.setLength(n - 1);
                }
                return line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("SMTP reply line longer than " + MAX_LINE + " octets");
            }
            line.append((char) b);
        }
    }
}
