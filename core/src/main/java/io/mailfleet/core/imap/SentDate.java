package io.mailfleet.core.imap;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calendar date written in a Date: header, as SENTBEFORE, SENTON and SENTSINCE compare it
 * (RFC 3501 §6.4.4: "disregarding time and timezone"): {@code Tue, 1 Jan 2030 23:30 -1000} is the
 * 1st of January even though it is the 2nd in UTC.
 */
public final class SentDate {

    private static final List<String> MONTHS =
            List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
    /** day month year after an optional day name; comments are removed first (RFC 5322 §3.3). */
    private static final Pattern DATE = Pattern.compile(
            "^\\s*(?:[a-z]{3,9}\\s*,\\s*)?(\\d{1,2})\\s+([a-z]{3})[a-z]*\\s+(\\d{2,4})(?:\\s|$)",
            Pattern.CASE_INSENSITIVE);

    private SentDate() {
    }

    /** The date part of {@code header}, or null when there is none to read. */
    public static LocalDate of(String header) {
        if (header == null) {
            return null;
        }
        Matcher m = DATE.matcher(withoutComments(header));
        if (!m.find()) {
            return null;
        }
        int month = MONTHS.indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
        if (month == 0) {
            return null;
        }
        int year = Integer.parseInt(m.group(3));
        if (m.group(3).length() == 2) {
            year += year < 50 ? 2000 : 1900; // obsolete two-digit years (RFC 5322 §4.3)
        } else if (m.group(3).length() == 3) {
            year += 1900;
        }
        try {
            return LocalDate.of(year, month, Integer.parseInt(m.group(1)));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static String withoutComments(String s) {
        if (s.indexOf('(') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && depth > 0) {
                i++;
            } else if (c == '(') {
                depth++;
                out.append(' ');
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
