package io.mailfleet.protocols.tls;

import java.util.Locale;

/** docker-mailserver's {@code SSL_TYPE}: where the server certificate comes from. */
public enum SslType {
    /** No TLS at all (empty {@code SSL_TYPE}). */
    NONE,
    /** PEM key and chain at {@code SSL_KEY_PATH} / {@code SSL_CERT_PATH}. */
    MANUAL,
    /** {@code /etc/letsencrypt/live/<domain>/{fullchain,privkey}.pem}. */
    LETSENCRYPT,
    /** Generated at first start into {@code <data>/tls/} and reused afterwards. */
    SELF_SIGNED;

    /** Parses the environment value; empty means {@link #NONE}. */
    public static SslType parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "manual" -> MANUAL;
            case "letsencrypt" -> LETSENCRYPT;
            case "self-signed" -> SELF_SIGNED;
            default -> throw new TlsConfigurationException("SSL_TYPE='" + value
                    + "' is not supported; use manual, letsencrypt, self-signed or leave it empty");
        };
    }
}
