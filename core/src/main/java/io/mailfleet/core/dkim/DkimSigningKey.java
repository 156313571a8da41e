package io.mailfleet.core.dkim;

import java.security.PrivateKey;
import java.util.Locale;

/**
 * A private key that signs for {@code domain} under {@code selector}.
 *
 * @param domain     the d= domain
 * @param selector   the s= selector
 * @param privateKey an RSA or Ed25519 private key
 */
public record DkimSigningKey(String domain, String selector, PrivateKey privateKey) {
    public DkimSigningKey {
        if (domain == null || domain.isBlank() || selector == null || selector.isBlank() || privateKey == null) {
            throw new IllegalArgumentException("DKIM signing key needs a domain, a selector and a private key");
        }
        domain = domain.toLowerCase(Locale.ROOT);
        algorithmOf(privateKey);
    }

    /** The algorithm this key signs with. */
    public DkimAlgorithm algorithm() {
        return algorithmOf(privateKey);
    }

    static DkimAlgorithm algorithmOf(java.security.Key key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> DkimAlgorithm.RSA_SHA256;
            case "Ed25519", "EdDSA" -> DkimAlgorithm.ED25519_SHA256;
            default -> throw new IllegalArgumentException("unsupported DKIM key algorithm: " + key.getAlgorithm());
        };
    }
}
