package io.mailfleet.core.imap;

import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.core.mime.BodyPart;
import io.mailfleet.core.mime.MessageSummary;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeUtility;

import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Evaluates {@link SearchKey}s (parsed by the IMAP layer) against messages. Header keys match the decoded, unfolded field values
 * (encoded words decoded); BODY and TEXT match the decoded text parts case-insensitively.
 */
public final class SearchEvaluator {
    private static final int MAX_TEXT = 16 * 1024 * 1024;

    private final BlobStore blobs;
    private final Set<Long> recent;
    private final long maxUid;
    private final int count;

    public SearchEvaluator(BlobStore blobs, Set<Long> recent, long maxUid, int count) {
        this.blobs = blobs;
        this.recent = recent;
        this.maxUid = maxUid;
        this.count = count;
    }

    /** Lazily loaded content of one message. */
    private final class Content {
        final MessageView m;
        List<String[]> headers;
        String body;

        Content(MessageView m) {
            this.m = m;
        }

        List<String[]> headers() throws IOException {
            if (headers == null) {
                headers = parseHeaders(read(0, m.summary().headerEnd()));
            }
            return headers;
        }

        String body() throws IOException {
            if (body == null) {
                StringBuilder sb = new StringBuilder();
                appendText(m.summary().body(), sb);
                body = sb.toString().toLowerCase(Locale.ROOT);
            }
            return body;
        }

        private byte[] read(long offset, long length) throws IOException {
            try (InputStream in = blobs.openRange(m.blob(), offset, Math.min(length, MAX_TEXT))) {
                return in.readAllBytes();
            }
        }

        private void appendText(BodyPart p, StringBuilder sb) throws IOException {
            if (sb.length() > MAX_TEXT) {
                return;
            }
            if (p.isMultipart()) {
                for (BodyPart c : p.parts()) {
                    appendText(c, sb);
                }
                return;
            }
            if (p.isMessage()) {
                sb.append(new String(read(p.message().headerStart(), p.message().bodyStart() - p.message().headerStart()),
                        StandardCharsets.UTF_8));
                appendText(p.message(), sb);
                return;
            }
            if (!p.isText() && p.type() != null) {
                return;
            }
            byte[] raw = read(p.bodyStart(), p.size());
            byte[] decoded = raw;
            String enc = p.encoding() == null ? "7bit" : p.encoding().toLowerCase(Locale.ROOT);
            if (enc.equals("base64") || enc.equals("quoted-printable")) {
                try (InputStream in = MimeUtility.decode(new java.io.ByteArrayInputStream(raw), enc)) {
                    decoded = in.readAllBytes();
                } catch (Exception e) {
                    decoded = raw;
                }
            }
            Charset cs = StandardCharsets.UTF_8;
            try {
                String name = p.param("charset").orElse("utf-8");
                cs = Charset.forName(MimeUtility.javaCharset(name));
            } catch (RuntimeException e) {
                cs = StandardCharsets.UTF_8;
            }
            sb.append(new String(decoded, cs)).append('\n');
        }
    }

    static List<String[]> parseHeaders(byte[] header) {
        String text = new String(header, StandardCharsets.UTF_8);
        List<String[]> out = new ArrayList<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String line : text.split("\r?\n")) {
            if (line.isEmpty()) {
                break;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
                value.append(line);
                continue;
            }
            if (name != null) {
                out.add(new String[] {name, decode(value.toString().trim())});
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                name = null;
                value.setLength(0);
                continue;
            }
            name = line.substring(0, colon).trim();
            value.setLength(0);
            value.append(line.substring(colon + 1));
        }
        if (name != null) {
            out.add(new String[] {name, decode(value.toString().trim())});
        }
        return out;
    }

    private static String decode(String v) {
        try {
            return MimeUtility.decodeText(v);
        } catch (UnsupportedEncodingException | RuntimeException e) {
            return v;
        }
    }

    /** True when message {@code m} at sequence number {@code seq} matches {@code key}. */
    public boolean matches(SearchKey key, MessageView m, int seq) throws IOException {
        return eval(key, m, seq, new Content(m));
    }

    private boolean eval(SearchKey key, MessageView m, int seq, Content c) throws IOException {
        if (key instanceof SearchKey.All) {
            return true;
        } else if (key instanceof SearchKey.And and) {
            for (SearchKey k : and.keys()) {
                if (!eval(k, m, seq, c)) {
                    return false;
                }
            }
            return true;
        } else if (key instanceof SearchKey.Or or) {
            return eval(or.a(), m, seq, c) || eval(or.b(), m, seq, c);
        } else if (key instanceof SearchKey.Not not) {
            return !eval(not.key(), m, seq, c);
        } else if (key instanceof SearchKey.Flag f) {
            return m.flags().contains(f.flag()) == f.set();
        } else if (key instanceof SearchKey.Recent r) {
            return recent.contains(m.uid()) == r.recent();
        } else if (key instanceof SearchKey.New) {
            return recent.contains(m.uid()) && !m.flags().contains("\\Seen");
        } else if (key instanceof SearchKey.Sequence s) {
            return s.uid() ? s.set().contains(m.uid(), maxUid) : s.set().contains(seq, count);
        } else if (key instanceof SearchKey.Size s) {
            return s.larger() ? m.size() > s.size() : m.size() < s.size();
        } else if (key instanceof SearchKey.ModSeq ms) {
            return m.modseq() >= ms.modseq();
        } else if (key instanceof SearchKey.Date d) {
            LocalDate day = d.sent() ? sentDate(c) : m.internalDate().atZone(ZoneId.systemDefault()).toLocalDate();
            if (day == null) {
                return false;
            }
            int cmp = day.compareTo(d.date());
            return d.cmp() < 0 ? cmp < 0 : d.cmp() == 0 ? cmp == 0 : cmp >= 0;
        } else if (key instanceof SearchKey.Header h) {
            String needle = h.value().toLowerCase(Locale.ROOT);
            for (String[] f : c.headers()) {
                if (f[0].equalsIgnoreCase(h.field()) && f[1].toLowerCase(Locale.ROOT).contains(needle)) {
                    return true;
                }
            }
            return false;
        } else if (key instanceof SearchKey.Text t) {
            String needle = t.value().toLowerCase(Locale.ROOT);
            if (t.withHeaders()) {
                for (String[] f : c.headers()) {
                    if (f[1].toLowerCase(Locale.ROOT).contains(needle) || f[0].toLowerCase(Locale.ROOT).contains(needle)) {
                        return true;
                    }
                }
            }
            return c.body().contains(needle);
        }
        throw new IllegalStateException("unknown search key " + key);
    }

    private static LocalDate sentDate(Content c) {
        MessageSummary s = c.m.summary();
        String date = s.envelope().date();
        if (date == null) {
            return null;
        }
        try {
            java.util.Date d = new MailDateFormat().parse(date);
            // RFC 3501: the date of the header, disregarding time and timezone.
            return d.toInstant().atOffset(ZoneOffset.UTC).toLocalDate();
        } catch (ParseException e) {
            return null;
        }
    }
}
