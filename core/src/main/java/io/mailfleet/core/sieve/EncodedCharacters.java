package io.mailfleet.core.sieve;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** RFC 5228 §2.4.2.4 encoded-character: {@code ${hex:..}} and {@code ${unicode:..}} in string literals. */
final class EncodedCharacters {
    private static final Pattern ENCODED = Pattern.compile(
            "\\$\\{(?i:(hex)|(unicode)):([ \\t\\r\\n]*[0-9A-Fa-f]+(?:[ \\t\\r\\n]+[0-9A-Fa-f]+)*[ \\t\\r\\n]*)}");

    private EncodedCharacters() {
    }

    static String decode(String s) {
        if (!s.contains("${")) {
            return s;
        }
        Matcher m = ENCODED.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String[] items = m.group(3).trim().split("[ \\t\\r\\n]+");
            String replacement;
            if (m.group(1) != null) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                boolean valid = true;
                for (String item : items) {
                    if (item.length() % 2 != 0) {
                        valid = false;
                        break;
                    }
                    for (int i = 0; i < item.length(); i += 2) {
                        bytes.write(Integer.parseInt(item.substring(i, i + 2), 16));
                    }
                }
                replacement = valid ? bytes.toString(StandardCharsets.UTF_8) : m.group();
            } else {
                StringBuilder sb = new StringBuilder();
                for (String item : items) {
                    if (item.length() > 8) {
                        throw new IllegalArgumentException("invalid unicode character '" + item + "' in ${unicode:}");
                    }
                    int cp = Integer.parseInt(item, 16);
                    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                        throw new IllegalArgumentException("invalid unicode character U+" + item.toUpperCase()
                                + " in ${unicode:}");
                    }
                    sb.appendCodePoint(cp);
                }
                replacement = sb.toString();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
