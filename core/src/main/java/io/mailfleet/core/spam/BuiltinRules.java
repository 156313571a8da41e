package io.mailfleet.core.spam;

import io.mailfleet.core.mime.Address;
import io.mailfleet.core.mime.AddressParser;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in scorer's rules: header and MIME anomalies, dangerous attachments, the SPF result our
 * own MAIL FROM check recorded, and GTUBE. Weights are in SpamAssassin's scale (a message at 6.31 is
 * spam by docker-mailserver's default {@code SA_TAG2}); each rule is a symbol named as Rspamd or
 * SpamAssassin name the same test, so operators recognise them in {@code X-Spam-Status}.
 */
public final class BuiltinRules {

    /** Extensions Windows runs (or opens with a script host) on a double click. */
    static final Set<String> DANGEROUS = Set.of("exe", "scr", "pif", "com", "bat", "cmd", "js", "jse", "vbs", "vbe",
            "wsf", "wsh", "hta", "cpl", "msi", "jar", "ps1", "lnk", "iso", "reg", "msc", "vb");
    private static final Pattern SPF_RESULT = Pattern.compile("^\\s*(pass|fail|softfail|neutral|none|temperror|permerror)\\b",
            Pattern.CASE_INSENSITIVE);
    // compiled once: these run on every scored message
    private static final Pattern DATE_COMMENT = Pattern.compile("\\s*\\([^)]*\\)\\s*$");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern NOT_A_LETTER = Pattern.compile("[^\\p{L}]");
    private static final Pattern EMAIL_IN_TEXT = Pattern.compile("[A-Za-z0-9._%+-]+@([A-Za-z0-9.-]+\\.[A-Za-z]{2,})");

    private BuiltinRules() {
    }

    /** The symbols {@code scan} hits, judged at {@code now}. */
    public static List<SpamSymbol> evaluate(ContentScan scan, Instant now) {
        List<SpamSymbol> hits = new ArrayList<>();
        if (scan.gtube()) {
            hits.add(new SpamSymbol("GTUBE", 1000, "the GTUBE test string"));
        }
        HeaderFields h = HeaderFields.parse(scan.header());
        from(h, hits);
        if (!h.has("Message-ID")) {
            hits.add(new SpamSymbol("MISSING_MID", 1.5, "no Message-ID"));
        }
        date(h.first("Date"), now, hits);
        if (!h.has("Subject")) {
            hits.add(new SpamSymbol("MISSING_SUBJECT", 0.5, "no Subject"));
        } else {
            subject(h.first("Subject"), hits);
        }
        if (!h.has("To") && !h.has("Cc")) {
            hits.add(new SpamSymbol("MISSING_TO", 1.0, "neither To nor Cc"));
        }
        String type = HeaderFields.lower(h.first("Content-Type"));
        if (type.startsWith("text/html")) {
            hits.add(new SpamSymbol("MIME_HTML_ONLY", 1.0, "HTML without a text part"));
        }
        spf(h, hits);
        for (String name : scan.fileNames()) {
            int dot = name.lastIndexOf('.');
            if (dot >= 0 && DANGEROUS.contains(name.substring(dot + 1).strip())) {
                hits.add(new SpamSymbol("MIME_BAD_EXTENSION", 5.0, "an attachment Windows would run: " + name));
                break;
            }
        }
        if (scan.headerTruncated()) {
            hits.add(new SpamSymbol("HEADER_HUGE", 2.0, "a header section over 256 KB"));
        }
        return hits;
    }

    /** The sum of the weights. */
    public static double score(List<SpamSymbol> symbols) {
        double s = 0;
        for (SpamSymbol x : symbols) {
            s += x.weight();
        }
        return Math.round(s * 1000) / 1000.0;
    }

    private static void from(HeaderFields h, List<SpamSymbol> hits) {
        List<String> froms = h.all("From");
        if (froms.isEmpty()) {
            hits.add(new SpamSymbol("MISSING_FROM", 2.0, "no From"));
            return;
        }
        if (froms.size() > 1) {
            hits.add(new SpamSymbol("MULTIPLE_FROM", 2.0, "more than one From field"));
        }
        List<Address> addrs = AddressParser.parse(froms.get(0)).stream().filter(a -> a.host() != null).toList();
        if (addrs.isEmpty()) {
            hits.add(new SpamSymbol("FROM_INVALID", 2.0, "From holds no address"));
            return;
        }
        Address a = addrs.get(0);
        // "PayPal Service <paypal@example.com>" <x@evil.example>: the name shows another domain's address
        if (a.name() != null) {
            Matcher m = EMAIL_IN_TEXT.matcher(a.name());
            if (m.find() && !m.group(1).equalsIgnoreCase(a.host())) {
                hits.add(new SpamSymbol("FROM_NAME_HAS_OTHER_ADDR", 2.5, "the From name shows another domain's address"));
            }
        }
    }

    private static void date(String date, Instant now, List<SpamSymbol> hits) {
        if (date == null) {
            hits.add(new SpamSymbol("MISSING_DATE", 1.0, "no Date"));
            return;
        }
        String d = WHITESPACE.matcher(DATE_COMMENT.matcher(date).replaceAll("")).replaceAll(" ").strip();
        Instant when;
        try {
            when = ZonedDateTime.parse(d, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            hits.add(new SpamSymbol("INVALID_DATE", 1.0, "a Date RFC 5322 does not allow"));
            return;
        }
        if (when.isAfter(now.plus(Duration.ofDays(1)))) {
            hits.add(new SpamSymbol("DATE_IN_FUTURE", 2.0, "dated more than a day ahead"));
        } else if (when.isBefore(now.minus(Duration.ofDays(365)))) {
            hits.add(new SpamSymbol("DATE_IN_PAST", 1.0, "dated more than a year ago"));
        }
    }

    private static void subject(String subject, List<SpamSymbol> hits) {
        String letters = NOT_A_LETTER.matcher(subject).replaceAll("");
        if (letters.length() >= 10 && letters.equals(letters.toUpperCase(Locale.ROOT))
                && !letters.equals(letters.toLowerCase(Locale.ROOT))) {
            hits.add(new SpamSymbol("SUBJ_ALL_CAPS", 1.0, "a Subject in capitals"));
        }
        if (subject.contains("!!!")) {
            hits.add(new SpamSymbol("SUBJ_EXCESS_EXCLAIM", 0.5, "!!! in the Subject"));
        }
    }

    /**
     * Our own Received-SPF: only the very first field counts, since our check writes it above our
     * Received: and everything the sender wrote; one further down may be forged.
     */
    private static void spf(HeaderFields h, List<SpamSymbol> hits) {
        if (h.fields().isEmpty() || !h.fields().get(0).name().equalsIgnoreCase("Received-SPF")) {
            return;
        }
        String spf = h.fields().get(0).value();
        Matcher m = SPF_RESULT.matcher(spf);
        if (!m.find()) {
            return;
        }
        switch (m.group(1).toLowerCase(Locale.ROOT)) {
            case "fail" -> hits.add(new SpamSymbol("R_SPF_FAIL", 3.0, "SPF fail (delivered because SPF is tag-only)"));
            case "softfail" -> hits.add(new SpamSymbol("R_SPF_SOFTFAIL", 1.5, "SPF softfail"));
            case "permerror" -> hits.add(new SpamSymbol("R_SPF_PERMFAIL", 1.0, "a broken SPF record"));
            case "pass" -> hits.add(new SpamSymbol("R_SPF_ALLOW", -0.5, "SPF pass"));
            default -> {
                // neutral, none, temperror: no evidence either way
            }
        }
    }
}
