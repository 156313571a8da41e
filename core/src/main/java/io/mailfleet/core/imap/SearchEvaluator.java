package io.mailfleet.core.imap;

import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.core.mime.BodyPart;
import io.mailfleet.core.mime.MessageSummary;
import jakarta.mail.internet.MimeUtility;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Evaluates {@link SearchKey}s (parsed by the IMAP layer) against messages. Header keys match the decoded, unfolded field values
 * (encoded words decoded); BODY and TEXT match the decoded text parts case-insensitively.
 *
 * <p>Work per message is bounded whatever the message: header keys look at the first
 * {@link #HEADER_SCAN_BYTES} of a header section (more than the acceptance limit, so only messages
 * stored before the limit existed are searched in part), and BODY/TEXT stream each part through a
 * {@link TextMatcher} instead of loading it.
 */
public final class SearchEvaluator {
    /** Header octets searched per message (and per embedded message/rfc822 header). */
    public static final int HEADER_SCAN_BYTES = 256 * 1024;

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

    /** Lazily loaded header fields of one message; its body is streamed per key. */
    private final class Content {
        final MessageView m;
        List<String[]> headers;

        Content(MessageView m) {
            this.m = m;
        }

        List<String[]> headers() throws IOException {
            if (headers == null) {
                headers = parseHeaders(read(0, Math.min(m.summary().headerEnd(), HEADER_SCAN_BYTES)));
            }
            return headers;
        }

        boolean bodyContains(TextMatcher matcher) throws IOException {
            return textContains(m.summary().body(), matcher);
        }

        private byte[] read(long offset, long length) throws IOException {
            try (InputStream in = blobs.openRange(m.blob(), offset, length)) {
                return in.readAllBytes();
            }
        }

        private boolean textContains(BodyPart p, TextMatcher matcher) throws IOException {
            if (p.isMultipart()) {
                for (BodyPart c : p.parts()) {
                    if (textContains(c, matcher)) {
                        return true;
                    }
                }
                return false;
            }
            if (p.isMessage()) {
                BodyPart inner = p.message();
                long length = Math.min(inner.bodyStart() - inner.headerStart(), HEADER_SCAN_BYTES);
                try (Reader r = new InputStreamReader(blobs.openRange(m.blob(), inner.headerStart(), length),
                        StandardCharsets.UTF_8)) {
                    if (matcher.in(r)) {
                        return true;
                    }
                }
                return textContains(inner, matcher);
            }
            if (!p.isText() && p.type() != null) {
                return false;
            }
            InputStream raw = blobs.openRange(m.blob(), p.bodyStart(), p.size());
            InputStream decoded;
            try {
                decoded = ContentDecoding.decode(raw, p.encoding());
            } catch (IOException | IllegalArgumentException e) {
                decoded = raw; // an unknown or broken encoding is searched as it is stored
            }
            Charset cs;
            try {
                cs = Charset.forName(MimeUtility.javaCharset(p.param("charset").orElse("utf-8")));
            } catch (RuntimeException e) {
                cs = StandardCharsets.UTF_8;
            }
            try (Reader r = new InputStreamReader(decoded, cs)) {
                return matcher.in(r);
            } catch (IOException e) {
                // a broken base64 or quoted-printable body: search what was readable, as before
                return false;
            }
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
            if (AddressSearch.matches(c.m.summary().envelope(), h.field(), needle)) {
                return true;
            }
            for (String[] f : c.headers()) {
                if (f[0].equalsIgnoreCase(h.field()) && f[1].toLowerCase(Locale.ROOT).contains(needle)) {
                    return true;
                }
            }
            return false;
        } else if (key instanceof SearchKey.Text t) {
            TextMatcher matcher = new TextMatcher(t.value());
            if (t.withHeaders()) {
                for (String[] f : c.headers()) {
                    if (matcher.in(f[1]) || matcher.in(f[0])) {
                        return true;
                    }
                }
            }
            return c.bodyContains(matcher);
        }
        throw new IllegalStateException("unknown search key " + key);
    }

    private static LocalDate sentDate(Content c) {
        return SentDate.of(c.m.summary().envelope().date());
    }
}
