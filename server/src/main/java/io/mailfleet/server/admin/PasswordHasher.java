package io.mailfleet.server.admin;

import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.auth.Scheme;

/** Turns a new plain-text password into a stored hash with its scheme prefix, e.g. {@code {SHA512-CRYPT}$6$...}. */
@FunctionalInterface
public interface PasswordHasher {

    String hash(String plainPassword);

    /**
     * The hasher for {@code mailfleet.passwords.scheme} ({@code SHA512-CRYPT} or {@code BLF-CRYPT}).
     *
     * @throws IllegalArgumentException for a scheme name core does not know
     */
    static PasswordHasher forScheme(String schemeName) {
        Scheme scheme = Scheme.byName(schemeName)
                .orElseThrow(() -> new IllegalArgumentException("unknown password scheme '" + schemeName + "'"));
        return plain -> PasswordSchemes.hash(plain, scheme);
    }
}
