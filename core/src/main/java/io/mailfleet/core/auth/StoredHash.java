package io.mailfleet.core.auth;

import java.util.Locale;

/**
 * A stored password split into scheme, encoding suffix and value: {@code {SSHA512.hex}abcd...} gives
 * scheme SSHA512, encoding HEX, value {@code abcd...}. A value without a prefix is {@link Scheme#CRYPT},
 * as Dovecot's default scheme for passwd-style files.
 */
public record StoredHash(Scheme scheme, Encoding encoding, String value) {

    /** How the value is written; {@link #DEFAULT} is the scheme's own (base64 for digests, raw for crypt). */
    public enum Encoding { DEFAULT, BASE64, HEX }

    /**
     * Parses a stored value as found in {@code postfix-accounts.cf}.
     *
     * @throws UnknownSchemeException naming the scheme when it is not supported
     * @throws PasswordHashException  when the prefix is malformed or the value is empty
     */
    public static StoredHash parse(String stored) {
        if (stored == null || stored.isEmpty()) {
            throw new PasswordHashException("empty password hash");
        }
        if (!stored.startsWith("{")) {
            return new StoredHash(Scheme.CRYPT, Encoding.DEFAULT, stored);
        }
        int close = stored.indexOf('}');
        if (close < 0) {
            throw new PasswordHashException("password hash prefix has no closing '}': "
                    + stored.substring(0, Math.min(stored.length(), 20)));
        }
        String name = stored.substring(1, close);
        String value = stored.substring(close + 1);
        Encoding enc = Encoding.DEFAULT;
        String base = name;
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            String suffix = name.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (suffix.equals("b64") || suffix.equals("base64")) {
                enc = Encoding.BASE64;
                base = name.substring(0, dot);
            } else if (suffix.equals("hex")) {
                enc = Encoding.HEX;
                base = name.substring(0, dot);
            }
        }
        Scheme scheme = Scheme.byName(base).orElseThrow(() -> new UnknownSchemeException(name));
        if (value.isEmpty()) {
            throw new PasswordHashException("empty {" + name + "} password hash");
        }
        return new StoredHash(scheme, enc, value);
    }

    /** The stored form, {@code {SCHEME[.b64|.hex]}value}. */
    public String format() {
        String suffix = switch (encoding) {
            case DEFAULT -> "";
            case BASE64 -> ".b64";
            case HEX -> ".hex";
        };
        return "{" + scheme.dovecotName() + suffix + "}" + value;
    }
}
