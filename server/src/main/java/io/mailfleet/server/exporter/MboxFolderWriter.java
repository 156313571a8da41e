package io.mailfleet.server.exporter;

import io.mailfleet.core.mailbox.FolderSnapshot;
import io.mailfleet.core.mailbox.MessageView;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Writes one folder as an mboxrd file: each message after a {@code From MAILER-DAEMON <date>} line
 * (the internal date, UTC, asctime), body lines matching {@code >*From } quoted with one more
 * {@code >}, LF line ends, an empty line after each message. Flags travel as mutt and Dovecot write
 * them: {@code Status:} (R seen, O old), {@code X-Status:} (A answered, F flagged, T draft, D deleted)
 * and {@code X-Keywords:}, appended to the header in place of any the message had. UIDs cannot be kept
 * in an mbox. Blocking.
 */
final class MboxFolderWriter {

    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

    private MboxFolderWriter() {
    }

    /** Appends every message of {@code folder} to {@code out}; answers {messages, bytes of messages}. */
    static long[] write(OutputStream out, FolderSnapshot folder, MaildirFolderWriter.Blobs blobs,
                        List<ExportResult.Skip> skipped) throws IOException {
        long messages = 0;
        long bytes = 0;
        for (MessageView m : folder.messages()) {
            InputStream opened;
            try {
                opened = blobs.open(m);
            } catch (IOException e) {
                skipped.add(new ExportResult.Skip(folder.folder() + " uid " + m.uid(),
                        "its bytes cannot be read from the blob store: " + e.getMessage()));
                continue;
            }
            out.write(("From MAILER-DAEMON " + ASCTIME.format(m.internalDate()) + "\n").getBytes(StandardCharsets.US_ASCII));
            try (InputStream in = new BufferedInputStream(opened, 64 * 1024)) {
                bytes += message(in, out, m);
            }
            out.write('\n');
            messages++;
        }
        return new long[] {messages, bytes};
    }

    private static long message(InputStream in, OutputStream out, MessageView m) throws IOException {
        long written = 0;
        boolean header = true;
        boolean skippingField = false;
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        boolean lastEndedLine = true;
        while (true) {
            line.reset();
            boolean eof = readLine(in, line);
            byte[] l = line.toByteArray();
            if (eof && l.length == 0) {
                break;
            }
            if (header) {
                if (l.length == 0) {
                    written += flagFields(out, m);
                    header = false;
                } else if ((l[0] == ' ' || l[0] == '\t') && skippingField) {
                    continue;
                } else {
                    skippingField = isFlagField(l);
                    if (skippingField) {
                        continue;
                    }
                }
            }
            if (quoted(l)) {
                out.write('>');
                written++;
            }
            out.write(l);
            written += l.length;
            if (!eof) {
                out.write('\n');
                written++;
            }
            lastEndedLine = !eof;
            if (eof) {
                break;
            }
        }
        if (!lastEndedLine) {
            out.write('\n');
            written++;
        }
        if (header) {
            written += flagFields(out, m); // a message without a body: the fields end its header
        }
        return written;
    }

    private static int flagFields(OutputStream out, MessageView m) throws IOException {
        StringBuilder s = new StringBuilder("Status: ").append(m.flags().contains("\\Seen") ? "RO" : "O").append('\n');
        StringBuilder x = new StringBuilder();
        if (m.flags().contains("\\Answered")) {
            x.append('A');
        }
        if (m.flags().contains("\\Flagged")) {
            x.append('F');
        }
        if (m.flags().contains("\\Draft")) {
            x.append('T');
        }
        if (m.flags().contains("\\Deleted")) {
            x.append('D');
        }
        if (x.length() > 0) {
            s.append("X-Status: ").append(x).append('\n');
        }
        List<String> keywords = new ArrayList<>();
        for (String f : new TreeSet<>(m.flags())) {
            if (!f.startsWith("\\")) {
                keywords.add(f);
            }
        }
        if (!keywords.isEmpty()) {
            s.append("X-Keywords: ").append(String.join(" ", keywords)).append('\n');
        }
        byte[] b = s.toString().getBytes(StandardCharsets.US_ASCII);
        out.write(b);
        return b.length;
    }

    private static boolean isFlagField(byte[] l) {
        String start = new String(l, 0, Math.min(l.length, 12), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        return start.startsWith("status:") || start.startsWith("x-status:") || start.startsWith("x-keywords:");
    }

    /** {@code >*From } at the start of a line: mboxrd quotes it with one more {@code >}. */
    private static boolean quoted(byte[] l) {
        int i = 0;
        while (i < l.length && l[i] == '>') {
            i++;
        }
        return l.length - i >= 5 && l[i] == 'F' && l[i + 1] == 'r' && l[i + 2] == 'o' && l[i + 3] == 'm'
                && l[i + 4] == ' ';
    }

    /** Reads one line without its LF or CRLF into {@code line}; true at the end of the input without a line end. */
    private static boolean readLine(InputStream in, ByteArrayOutputStream line) throws IOException {
        int b;
        boolean cr = false;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                return false;
            }
            if (cr) {
                line.write('\r');
            }
            cr = b == '\r';
            if (!cr) {
                line.write(b);
            }
        }
        if (cr) {
            line.write('\r');
        }
        return true;
    }
}
