package io.mailfleet.core.dkim;

import java.util.Locale;

/** The signing algorithms Mailfleet signs and verifies with (rsa-sha1 is refused, RFC 8301). */
public enum DkimAlgorithm {
    RSA_SHA256("rsa-sha256", "rsa"),
    ED25519_SHA256("ed25519-sha256", "ed25519");

    private final String tag;
    private final String keyType;

    DkimAlgorithm(String tag, String keyType) {
        this.tag = tag;
        this.keyType = keyType;
    }

    /** The a= tag value. */
    public String tag() {
        return tag;
    }

    /** The k= value of the key record. */
    public String keyType() {
        return keyType;
    }

    static DkimAlgorithm parse(String a) throws DkimException {
        String v = a.strip().toLowerCase(Locale.ROOT);
        for (DkimAlgorithm alg : values()) {
            if (alg.tag.equals(v)) {
                return alg;
            }
        }
        throw new DkimException("unsupported signature algorithm a=" + a);
    }
}
