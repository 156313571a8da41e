package io.mailfleet.core.auth;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The Dovecot password schemes Mailfleet verifies, with the names Dovecot accepts for them. */
public enum Scheme {
    SHA512_CRYPT("SHA512-CRYPT"),
    SHA256_CRYPT("SHA256-CRYPT"),
    BLF_CRYPT("BLF-CRYPT"),
    MD5_CRYPT("MD5-CRYPT"),
    /** glibc crypt(3): traditional DES, or {@code $1$}/{@code $5$}/{@code $6$}/bcrypt by the hash's own prefix. */
    CRYPT("CRYPT"),
    SSHA("SSHA"),
    SSHA256("SSHA256"),
    SSHA512("SSHA512"),
    SHA("SHA"),
    SHA256("SHA256"),
    SHA512("SHA512"),
    PLAIN("PLAIN");

    private static final Map<String, Scheme> BY_NAME = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    static {
        for (Scheme s : values()) {
            BY_NAME.put(s.dovecotName, s);
        }
        BY_NAME.put("DES-CRYPT", CRYPT);
        BY_NAME.put("SHA1", SHA);
        BY_NAME.put("CLEAR", PLAIN);
        BY_NAME.put("CLEARTEXT", PLAIN);
    }

    private final String dovecotName;

    Scheme(String dovecotName) {
        this.dovecotName = dovecotName;
    }

    /** The name inside the braces, e.g. {@code SHA512-CRYPT}. */
    public String dovecotName() {
        return dovecotName;
    }

    /** The stored-value prefix, e.g. {@code {SHA512-CRYPT}}. */
    public String prefix() {
        return "{" + dovecotName + "}";
    }

    /** Looks a scheme up by its Dovecot name (case-insensitive, aliases such as {@code CLEAR} included). */
    public static Optional<Scheme> byName(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(BY_NAME.get(name.strip().toUpperCase(Locale.ROOT)));
    }
}
