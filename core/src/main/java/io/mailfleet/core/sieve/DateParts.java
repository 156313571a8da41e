package io.mailfleet.core.sieve;

import jakarta.mail.internet.MailDateFormat;
import java.text.ParsePosition;
import java.time.DateTimeException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.JulianFields;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;

/** Date parsing and the date-part values of RFC 5260 §4.2. */
final class DateParts {
    private DateParts() {
    }

    /** Parses an RFC 5322 date (for trace fields, the text after the last ';'), keeping its own zone. */
    static Optional<ZonedDateTime> parseHeaderDate(String raw) {
        String v = raw.replaceAll("\r?\n[ \t]", " ");
        int semi = v.lastIndexOf(';');
        if (semi >= 0) {
            v = v.substring(semi + 1);
        }
        v = v.replaceAll("\\([^()]*\\)", " ").replaceAll("\\s+", " ").strip();
        try {
            return Optional.of(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
        } catch (DateTimeException e) {
            Date d = new MailDateFormat().parse(v, new ParsePosition(0));
            return d == null ? Optional.empty() : Optional.of(d.toInstant().atZone(ZoneOffset.UTC));
        }
    }

    static ZonedDateTime inZone(ZonedDateTime d, String zone, int line) {
        if (!zone.matches("[+-]\\d{4}")) {
            throw new SieveRuntimeException(line, "invalid zone '" + zone + "'");
        }
        int h = Integer.parseInt(zone.substring(1, 3));
        int m = Integer.parseInt(zone.substring(3, 5));
        if (h > 18 || m > 59) {
            throw new SieveRuntimeException(line, "invalid zone '" + zone + "'");
        }
        int secs = (h * 3600 + m * 60) * (zone.charAt(0) == '-' ? -1 : 1);
        return d.withZoneSameInstant(ZoneOffset.ofTotalSeconds(secs));
    }

    static String part(ZonedDateTime d, String part, int line) {
        return switch (part.toLowerCase(Locale.ROOT)) {
            case "year" -> String.format("%04d", d.getYear());
            case "month" -> String.format("%02d", d.getMonthValue());
            case "day" -> String.format("%02d", d.getDayOfMonth());
            case "date" -> d.format(DateTimeFormatter.ofPattern("yyyy-MM-dd"));
            case "julian" -> Long.toString(d.toLocalDate().getLong(JulianFields.MODIFIED_JULIAN_DAY));
            case "hour" -> String.format("%02d", d.getHour());
            case "minute" -> String.format("%02d", d.getMinute());
            case "second" -> String.format("%02d", d.getSecond());
            case "time" -> d.format(DateTimeFormatter.ofPattern("HH:mm:ss"));
            case "iso8601" -> d.truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            case "std11" -> d.format(DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT));
            case "zone" -> d.format(DateTimeFormatter.ofPattern("xx"));
            case "weekday" -> Integer.toString(d.getDayOfWeek().getValue() % 7);
            default -> throw new SieveRuntimeException(line, "unknown date part '" + part + "'");
        };
    }
}
