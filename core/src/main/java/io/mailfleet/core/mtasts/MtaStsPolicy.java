package io.mailfleet.core.mtasts;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A parsed MTA-STS policy file (RFC 8461 §3.2).
 *
 * @param mode          enforce, testing or none
 * @param mx            the {@code mx} patterns, lower case, without a trailing dot ({@code *.example.com} covers one label)
 * @param maxAgeSeconds {@code max_age}, already capped by the parser's caller
 */
public record MtaStsPolicy(MtaStsMode mode, List<String> mx, long maxAgeSeconds) {

    /** RFC 8461 §3.2: max_age is at most 31557600 seconds (about one year). */
    public static final long MAX_AGE_LIMIT = 31_557_600L;

    public MtaStsPolicy {
        Objects.requireNonNull(mode, "mode");
        mx = List.copyOf(mx);
        if (maxAgeSeconds < 0) {
            throw new IllegalArgumentException("max_age is negative");
        }
    }

    /**
     * Parses the policy body. Lines end in CRLF or LF; unknown keys are ignored (RFC 8461 §3.2);
     * {@code version: STSv1}, {@code mode} and {@code max_age} are required, and {@code mx} at least
     * once unless the mode is {@code none}.
     *
     * @param maxAgeCap the longest max_age honoured (at most {@link #MAX_AGE_LIMIT})
     * @throws IllegalArgumentException saying what is wrong
     */
    public static MtaStsPolicy parse(byte[] body, long maxAgeCap) {
        String text = new String(body, StandardCharsets.UTF_8);
        String version = null;
        MtaStsMode mode = null;
        Long maxAge = null;
        List<String> mx = new ArrayList<>();
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("policy line without 'key: value': '" + shorten(line) + "'");
            }
            String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "version" -> {
                    if (version != null) {
                        throw new IllegalArgumentException("version is given twice");
                    }
                    version = value;
                }
                case "mode" -> {
                    if (mode != null) {
                        throw new IllegalArgumentException("mode is given twice");
                    }
                    mode = switch (value) {
                        case "enforce" -> MtaStsMode.ENFORCE;
                        case "testing" -> MtaStsMode.TESTING;
                        case "none" -> MtaStsMode.NONE;
                        default -> throw new IllegalArgumentException("unknown mode '" + shorten(value)
                                + "' (expected enforce, testing or none)");
                    };
                }
                case "max_age" -> {
                    if (maxAge != null) {
                        throw new IllegalArgumentException("max_age is given twice");
                    }
                    if (!value.matches("\\d{1,10}")) {
                        throw new IllegalArgumentException("max_age '" + shorten(value) + "' is not a number of seconds");
                    }
                    maxAge = Long.parseLong(value);
                }
                case "mx" -> mx.add(mxPattern(value));
                default -> {
                    // RFC 8461 §3.2: unknown fields are ignored for extensibility.
                }
            }
        }
        if (!"STSv1".equals(version)) {
            throw new IllegalArgumentException(version == null ? "no version field" : "version '" + shorten(version)
                    + "' is not STSv1");
        }
        if (mode == null) {
            throw new IllegalArgumentException("no mode field");
        }
        if (maxAge == null) {
            throw new IllegalArgumentException("no max_age field");
        }
        if (mx.isEmpty() && mode != MtaStsMode.NONE) {
            throw new IllegalArgumentException("no mx field in a policy with mode " + mode.text());
        }
        long cap = Math.min(Math.max(0, maxAgeCap), MAX_AGE_LIMIT);
        return new MtaStsPolicy(mode, mx, Math.min(maxAge, cap));
    }

    private static String mxPattern(String value) {
        String p = value.toLowerCase(Locale.ROOT);
        if (p.endsWith(".")) {
            p = p.substring(0, p.length() - 1);
        }
        String host = p.startsWith("*.") ? p.substring(2) : p;
        if (host.isEmpty() || !host.matches("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*")) {
            throw new IllegalArgumentException("mx '" + shorten(value) + "' is not a host name or *.domain pattern");
        }
        return p;
    }

    /** True when {@code host} (an MX name) matches one of the mx patterns; {@code *.} covers exactly one label. */
    public boolean allowsMx(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        for (String p : mx) {
            if (p.startsWith("*.")) {
                int dot = h.indexOf('.');
                if (dot > 0 && h.substring(dot + 1).equals(p.substring(2))) {
                    return true;
                }
            } else if (p.equals(h)) {
                return true;
            }
        }
        return false;
    }

    /** The policy as RFC 8460 §4.4 {@code policy-string} lines. */
    public List<String> policyStrings() {
        List<String> out = new ArrayList<>();
        out.add("version: STSv1");
        out.add("mode: " + mode.text());
        mx.forEach(m -> out.add("mx: " + m));
        out.add("max_age: " + maxAgeSeconds);
        return out;
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
