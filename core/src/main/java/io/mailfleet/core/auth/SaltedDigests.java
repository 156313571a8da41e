package io.mailfleet.core.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** Dovecot's digest schemes: {SSHA*} are digest(password + salt) followed by the salt; {SHA*} have no salt. */
final class SaltedDigests {

    private SaltedDigests() {
    }

    static String algorithm(Scheme scheme) {
        return switch (scheme) {
            case SSHA, SHA -> "SHA-1";
            case SSHA256, SHA256 -> "SHA-256";
            case SSHA512, SHA512 -> "SHA-512";
            default -> throw new IllegalStateException(scheme + " is not a digest scheme");
        };
    }

    static boolean salted(Scheme scheme) {
        return scheme == Scheme.SSHA || scheme == Scheme.SSHA256 || scheme == Scheme.SSHA512;
    }

    static int digestLength(Scheme scheme) {
        return switch (algorithm(scheme)) {
            case "SHA-1" -> 20;
            case "SHA-256" -> 32;
            default -> 64;
        };
    }

    /** Checks that the decoded value has a plausible length for the scheme; throws naming the problem. */
    static void validate(Scheme scheme, byte[] raw) {
        int len = digestLength(scheme);
        if (salted(scheme) ? raw.length <= len : raw.length != len) {
            throw new PasswordHashException("malformed " + scheme.prefix() + " hash: decoded to " + raw.length
                    + " bytes, expected " + (salted(scheme) ? "more than " + len + " (digest + salt)" : len));
        }
    }

    static boolean verify(Scheme scheme, byte[] password, byte[] raw) {
        validate(scheme, raw);
        int len = digestLength(scheme);
        byte[] salt = Arrays.copyOfRange(raw, len, raw.length);
        byte[] expected = Arrays.copyOf(raw, len);
        return MessageDigest.isEqual(digest(scheme, password, salt), expected);
    }

    static byte[] digest(Scheme scheme, byte[] password, byte[] salt) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm(scheme));
            md.update(password);
            md.update(salt);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks " + algorithm(scheme), e);
        }
    }
}
