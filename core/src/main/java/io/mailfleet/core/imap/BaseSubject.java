package io.mailfleet.core.imap;

import jakarta.mail.internet.MimeUtility;

import java.io.UnsupportedEncodingException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The base subject of RFC 5256 §2.1 (SORT SUBJECT, THREAD): encoded words decoded, whitespace
 * collapsed, "Re:", "Fw:", "Fwd:" leaders, "[blob]" prefixes, "(fwd)" trailers and "[fwd: ...]"
 * wrappers removed, upper-cased for comparison. {@link #reply()} tells whether anything reply-like
 * was removed (THREAD=REFERENCES step 6).
 */
public record BaseSubject(String text, boolean reply) {

    private static final Pattern WS = Pattern.compile("[ \\t\\r\\n]+");
    private static final Pattern TRAILER = Pattern.compile("(?i)(?: |\\(fwd\\))+$");
    private static final Pattern LEADER = Pattern.compile(
            "(?i)^(?:(?:\\[[^\\[\\]]*\\] ?)*(?:re|fwd?) ?(?:\\[[^\\[\\]]*\\] ?)?:| )");
    private static final Pattern BLOB = Pattern.compile("^\\[[^\\[\\]]*\\] ?");

    /**
     * Raw subject characters looked at: SORT and THREAD keep one base subject per message of a folder,
     * so a message stored with a megabyte subject must not cost a megabyte per command.
     */
    static final int MAX_RAW = 8192;

    /** Extracts the base subject from a raw (possibly encoded) Subject header value; null gives "". */
    public static BaseSubject of(String raw) {
        if (raw == null) {
            return new BaseSubject("", false);
        }
        if (raw.length() > MAX_RAW) {
            raw = raw.substring(0, MAX_RAW);
        }
        String s = WS.matcher(decode(raw)).replaceAll(" ");
        boolean reply = false;
        while (true) {
            // Step 2: trailers.
            Matcher t = TRAILER.matcher(s);
            if (t.find()) {
                reply |= t.group().toLowerCase(Locale.ROOT).contains("(fwd)");
                s = s.substring(0, t.start());
            }
            // Steps 3 to 5: leaders and blobs until nothing changes.
            boolean changed = true;
            while (changed) {
                changed = false;
                Matcher l = LEADER.matcher(s);
                while (l.find() && l.end() > 0) {
                    reply |= !l.group().isBlank();
                    s = s.substring(l.end());
                    l = LEADER.matcher(s);
                    changed = true;
                }
                Matcher b = BLOB.matcher(s);
                if (b.find() && b.end() < s.length()) {
                    s = s.substring(b.end());
                    changed = true;
                }
            }
            // Step 6: [fwd: ...] wrapper.
            if (s.length() >= 6 && s.regionMatches(true, 0, "[fwd:", 0, 5) && s.endsWith("]")) {
                s = s.substring(5, s.length() - 1);
                reply = true;
                continue;
            }
            break;
        }
        return new BaseSubject(s.toUpperCase(Locale.ROOT), reply);
    }

    private static String decode(String raw) {
        try {
            return MimeUtility.decodeText(MimeUtility.unfold(raw));
        } catch (UnsupportedEncodingException | RuntimeException e) {
            return raw;
        }
    }
}
