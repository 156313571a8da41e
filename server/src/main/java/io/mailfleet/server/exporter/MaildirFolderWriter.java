package io.mailfleet.server.exporter;

import io.mailfleet.core.mailbox.FolderSnapshot;
import io.mailfleet.core.mailbox.MessageView;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes one folder as a Dovecot Maildir directory: {@code cur/} with one file a message, named
 * {@code <internal date>.M<uid>P0.mailfleet,S=<size>:2,<flags>} (standard flag letters, then
 * {@code a}..{@code z} for keywords by their index in {@code dovecot-keywords}), modification time the
 * internal date, line ends LF as Dovecot stores them; {@code dovecot-uidlist} (version 3) keeps the
 * folder's UIDVALIDITY, UIDNEXT and every message's UID, so Dovecot (or a Mailfleet import) serves the
 * same UIDs. Blocking.
 */
final class MaildirFolderWriter {

    /** Dovecot's limit: keyword letters a..z. */
    private static final int MAX_KEYWORDS = 26;

    interface Blobs {
        InputStream open(MessageView m) throws IOException;
    }

    private MaildirFolderWriter() {
    }

    /** Writes {@code folder} into {@code dir}; messages whose keywords do not fit are written without the rest. */
    static long[] write(Path dir, FolderSnapshot folder, Blobs blobs, List<ExportResult.Skip> skipped)
            throws IOException {
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(dir.resolve(sub));
        }
        List<String> keywords = new ArrayList<>();
        for (MessageView m : folder.messages()) {
            for (String f : new TreeSet<>(m.flags())) {
                if (!f.startsWith("\\") && !f.equals("$Forwarded") && !keywords.contains(f)) {
                    if (keywords.size() < MAX_KEYWORDS) {
                        keywords.add(f);
                    } else {
                        skipped.add(new ExportResult.Skip(folder.folder() + " keyword " + f,
                                "a Maildir folder holds at most 26 keywords; not written"));
                    }
                }
            }
        }
        StringBuilder uidlist = new StringBuilder("3 V" + folder.uidValidity() + " N" + folder.uidNext() + "\n");
        long messages = 0;
        long bytes = 0;
        for (MessageView m : folder.messages()) {
            long seconds = m.internalDate().getEpochSecond();
            String base = seconds + ".M" + m.uid() + "P0.mailfleet";
            Path tmp = dir.resolve("tmp").resolve(base);
            InputStream opened;
            try {
                opened = blobs.open(m);
            } catch (IOException e) {
                skipped.add(new ExportResult.Skip(folder.folder() + " uid " + m.uid(),
                        "its bytes cannot be read from the blob store: " + e.getMessage()));
                continue;
            }
            long size;
            try (InputStream in = opened; OutputStream out = Files.newOutputStream(tmp)) {
                size = copyToLf(in, out);
            }
            base = base + ",S=" + size;
            Path file = dir.resolve("cur").resolve(base + ":2," + letters(m.flags(), keywords));
            Files.move(tmp, file);
            Files.setLastModifiedTime(file, FileTime.from(m.internalDate()));
            uidlist.append(m.uid()).append(" :").append(base).append('\n');
            messages++;
            bytes += size;
        }
        Files.writeString(dir.resolve("dovecot-uidlist"), uidlist, StandardCharsets.UTF_8);
        if (!keywords.isEmpty()) {
            StringBuilder kw = new StringBuilder();
            for (int i = 0; i < keywords.size(); i++) {
                kw.append(i).append(' ').append(keywords.get(i)).append('\n');
            }
            Files.writeString(dir.resolve("dovecot-keywords"), kw, StandardCharsets.UTF_8);
        }
        return new long[] {messages, bytes};
    }

    /** The info letters in ASCII order, as Maildir requires. */
    static String letters(Set<String> flags, List<String> keywords) {
        TreeSet<Character> out = new TreeSet<>();
        for (String f : flags) {
            switch (f) {
                case "\\Draft" -> out.add('D');
                case "\\Flagged" -> out.add('F');
                case "$Forwarded" -> out.add('P');
                case "\\Answered" -> out.add('R');
                case "\\Seen" -> out.add('S');
                case "\\Deleted" -> out.add('T');
                default -> {
                    int i = keywords.indexOf(f);
                    if (i >= 0) {
                        out.add((char) ('a' + i));
                    }
                }
            }
        }
        StringBuilder s = new StringBuilder();
        out.forEach(s::append);
        return s.toString();
    }

    /** Copies with CRLF made LF (a lone CR stays); answers the bytes written. */
    static long copyToLf(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[64 * 1024];
        byte[] o = new byte[buf.length];
        boolean pendingCr = false;
        long written = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            int w = 0;
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (pendingCr) {
                    pendingCr = false;
                    if (b != '\n') {
                        o[w++] = '\r';
                        if (w == o.length) {
                            out.write(o, 0, w);
                            written += w;
                            w = 0;
                        }
                    }
                }
                if (b == '\r') {
                    pendingCr = true;
                    continue;
                }
                o[w++] = b;
                if (w == o.length) {
                    out.write(o, 0, w);
                    written += w;
                    w = 0;
                }
            }
            out.write(o, 0, w);
            written += w;
        }
        if (pendingCr) {
            out.write('\r');
            written++;
        }
        return written;
    }
}
