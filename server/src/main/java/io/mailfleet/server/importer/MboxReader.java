package io.mailfleet.server.importer;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an mbox file (mboxrd or mboxo): a message starts at a {@code From } line at the start of the
 * file or after an empty line (the empty line belongs to the separator); {@code >From } lines lose
 * one {@code >} (mboxrd's rule, which also undoes mboxo's quoting); flags from {@code Status:}
 * (R seen) and {@code X-Status:} (A answered, F flagged, T draft, D deleted), keywords from
 * Dovecot's {@code X-Keywords:}; the internal date from the {@code From } line's date, else the
 * file's modification time. The bytes are stored as they are otherwise. Blocking: runs on an import
 * thread; memory stays constant whatever the file's size (each message is read again by range).
 */
public final class MboxReader {

    private static final Pattern FROM_DATE = Pattern.compile(
            "([A-Z][a-z]{2}) +([A-Z][a-z]{2}) +(\\d{1,2}) +(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?: +([A-Z]{3,4}|[+-]\\d{4}))? +(\\d{4})");
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("MMM d H:m:s yyyy", Locale.ROOT);
    /** How much of a line is kept to look at (the separator and the flag headers are short). */
    private static final int KEEP = 1000;

    private final Path file;
    private final String folder;

    public MboxReader(Path file, String folder) {
        this.file = file;
        this.folder = folder;
    }

    /** Hands every message to {@code sink}; a file that is not an mbox is reported as one skip. */
    public void read(ImportSink sink) throws IOException {
        String name = file.getFileName().toString();
        Instant mtime = Files.getLastModifiedTime(file).toInstant();
        try (InputStream in = Files.newInputStream(file)) {
            Scan scan = new Scan(sink, name, mtime);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            long pos = 0;
            long lineStart = 0;
            byte[] chunk = new byte[64 * 1024];
            int n;
            boolean any = false;
            while ((n = in.read(chunk)) > 0) {
                any = true;
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    pos++;
                    if (line.size() < KEEP) {
                        line.write(b);
                    }
                    if (b == '\n') {
                        if (!scan.line(line.toByteArray(), lineStart, pos)) {
                            return;
                        }
                        line.reset();
                        lineStart = pos;
                    }
                }
            }
            if (line.size() > 0 && !scan.line(line.toByteArray(), lineStart, pos)) {
                return;
            }
            if (!any) {
                sink.skipped(name, "empty file");
                return;
            }
            scan.end(pos);
        }
    }

    /** The separator scan: where each message's bytes start and end, and its flags. */
    private final class Scan {
        private final ImportSink sink;
        private final String name;
        private final Instant mtime;
        private int count;
        private long start = -1;
        private long lastEmptyAt = -1;
        private boolean prevEmpty = true;
        private boolean inHeader;
        private Instant date;
        private Set<String> flags = new LinkedHashSet<>();

        Scan(ImportSink sink, String name, Instant mtime) {
            this.sink = sink;
            this.name = name;
            this.mtime = mtime;
        }

        /** False when the file turned out not to be an mbox. */
        boolean line(byte[] kept, long lineStart, long lineEnd) {
            String s = new String(kept, StandardCharsets.ISO_8859_1);
            String content = s.endsWith("\r\n") ? s.substring(0, s.length() - 2)
                    : s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
            boolean separator = prevEmpty && content.startsWith("From ");
            if (start < 0 && !separator) {
                sink.skipped(name, "not an mbox file: it does not start with a 'From ' line");
                return false;
            }
            if (separator) {
                if (start >= 0) {
                    emit(lastEmptyAt == lineStart ? lineStart - emptyLength : lineStart);
                }
                start = lineEnd;
                date = fromDate(content);
                flags = new LinkedHashSet<>();
                inHeader = true;
            } else if (inHeader) {
                if (content.isEmpty()) {
                    inHeader = false;
                } else {
                    headerLine(content);
                }
            }
            prevEmpty = content.isEmpty();
            if (prevEmpty) {
                lastEmptyAt = lineEnd;
                emptyLength = lineEnd - lineStart;
            }
            return true;
        }

        private long emptyLength;

        void end(long fileEnd) {
            if (start >= 0) {
                emit(lastEmptyAt == fileEnd ? fileEnd - emptyLength : fileEnd);
            }
        }

        private void headerLine(String content) {
            int colon = content.indexOf(':');
            if (colon <= 0) {
                return;
            }
            String field = content.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = content.substring(colon + 1).strip();
            switch (field) {
                case "status" -> {
                    if (value.indexOf('R') >= 0) {
                        flags.add("\\Seen");
                    }
                }
                case "x-status" -> {
                    for (char c : value.toCharArray()) {
                        switch (c) {
                            case 'A' -> flags.add("\\Answered");
                            case 'F' -> flags.add("\\Flagged");
                            case 'T' -> flags.add("\\Draft");
                            case 'D' -> flags.add("\\Deleted");
                            default -> {
                            }
                        }
                    }
                }
                case "x-keywords" -> {
                    for (String k : value.split("[\\s,]+")) {
                        if (!k.isEmpty() && k.chars().allMatch(c -> c > ' ' && c < 0x7f && "(){%*\"\\]".indexOf(c) < 0)) {
                            flags.add(k);
                        }
                    }
                }
                default -> {
                }
            }
        }

        private void emit(long end) {
            count++;
            long from = start;
            long length = Math.max(0, end - from);
            sink.offer(new SourceMessage(folder, name + " message " + count, date != null ? date : mtime, flags,
                    out -> copyRange(from, length, out)));
        }
    }

    private void copyRange(long from, long length, OutputStream out) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(from);
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024);
            OutputStream unquoting = new FromUnquoting(out);
            byte[] buf = new byte[64 * 1024];
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException("the file got shorter while importing");
                }
                unquoting.write(buf, 0, n);
                left -= n;
            }
            unquoting.flush();
        }
    }

    static Instant fromDate(String fromLine) {
        Matcher m = FROM_DATE.matcher(fromLine);
        if (!m.find()) {
            return null;
        }
        String text = m.group(2) + " " + m.group(3) + " " + m.group(4) + ":" + m.group(5) + ":"
                + (m.group(6) == null ? "0" : m.group(6)) + " " + m.group(8);
        // asctime has no zone: UTC, unless a numeric offset is given (zone names are ambiguous)
        String zone = m.group(7);
        ZoneOffset offset = zone != null && (zone.startsWith("+") || zone.startsWith("-"))
                ? ZoneOffset.of(zone.substring(0, 3) + ":" + zone.substring(3)) : ZoneOffset.UTC;
        try {
            return LocalDateTime.parse(text, ASCTIME).toInstant(offset);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Removes one {@code >} from lines that read {@code >From }, {@code >>From } ... (mboxrd). */
    static final class FromUnquoting extends OutputStream {
        private static final byte[] FROM = "From ".getBytes(StandardCharsets.US_ASCII);
        private final OutputStream out;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private boolean collecting = true;

        FromUnquoting(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            if (!collecting) {
                out.write(b);
                if (b == '\n') {
                    collecting = true;
                }
                return;
            }
            pending.write(b);
            byte[] p = pending.toByteArray();
            int quotes = 0;
            while (quotes < p.length && p[quotes] == '>') {
                quotes++;
            }
            if (quotes == p.length) {
                return; // only '>' so far
            }
            int matched = p.length - quotes;
            boolean prefix = quotes > 0 && matched <= FROM.length
                    && java.util.Arrays.equals(p, quotes, p.length, FROM, 0, matched);
            if (prefix && matched == FROM.length) {
                out.write(p, 1, p.length - 1);
                pending.reset();
                collecting = false;
            } else if (!prefix) {
                out.write(p);
                pending.reset();
                collecting = b == '\n';
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public void flush() throws IOException {
            if (pending.size() > 0) {
                out.write(pending.toByteArray());
                pending.reset();
            }
            out.flush();
        }
    }
}
