package io.mailfleet.core.auth;

import org.apache.commons.codec.DecoderException;
import org.apache.commons.codec.binary.Hex;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Verifies and creates Dovecot-style password hashes ({@code {SCHEME}value}) as stored in
 * docker-mailserver's {@code postfix-accounts.cf}.
 *
 * <p>Supported: {@code SHA512-CRYPT}, {@code SHA256-CRYPT}, {@code BLF-CRYPT}, {@code MD5-CRYPT},
 * {@code CRYPT} (DES, or whatever {@code $1$}/{@code $5$}/{@code $6$}/{@code $2y$} prefix the hash
 * carries, as glibc crypt(3) does), {@code SSHA}, {@code SSHA256}, {@code SSHA512}, {@code SHA},
 * {@code SHA256}, {@code SHA512} and {@code PLAIN}, each with an optional {@code .b64}/{@code .hex}
 * encoding suffix. A value without a prefix is treated as {@code CRYPT}. Passwords are UTF-8 bytes.
 * All comparisons are constant-time; an empty password never verifies.
 */
public final class PasswordSchemes {

    /** bcrypt cost used by {@link #hash(String, Scheme)}: 2^10 rounds, about 50-100 ms per check. */
    public static final int DEFAULT_BCRYPT_COST = 10;
    /** glibc's default, written without {@code rounds=} exactly like {@code doveadm pw}. */
    public static final int DEFAULT_SHA_CRYPT_ROUNDS = 5000;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] CRYPT_ALPHABET =
            "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private PasswordSchemes() {
    }

    /**
     * Whether {@code password} matches {@code stored}. False for a null or empty password.
     *
     * @throws UnknownSchemeException naming the scheme when it is not supported
     * @throws PasswordHashException  naming the problem when the stored value is malformed
     */
    public static boolean verify(String password, String stored) {
        StoredHash h = StoredHash.parse(stored);
        byte[] raw = decoded(h);
        if (password == null || password.isEmpty()) {
            return false;
        }
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        return switch (h.scheme()) {
            case SHA512_CRYPT, SHA256_CRYPT, BLF_CRYPT, MD5_CRYPT, CRYPT ->
                    CryptHashes.verify(h.scheme(), pw, new String(raw, StandardCharsets.UTF_8));
            case SSHA, SSHA256, SSHA512, SHA, SHA256, SHA512 -> SaltedDigests.verify(h.scheme(), pw, raw);
            case PLAIN -> MessageDigest.isEqual(pw, raw);
        };
    }

    /** The problem with a stored value (unknown scheme, malformed), or empty when it is usable. */
    public static Optional<String> check(String stored) {
        try {
            StoredHash h = StoredHash.parse(stored);
            byte[] raw = decoded(h);
            switch (h.scheme()) {
                case SHA512_CRYPT, SHA256_CRYPT, BLF_CRYPT, MD5_CRYPT, CRYPT ->
                        CryptHashes.validate(h.scheme(), new String(raw, StandardCharsets.UTF_8));
                case SSHA, SSHA256, SSHA512, SHA, SHA256, SHA512 -> SaltedDigests.validate(h.scheme(), raw);
                case PLAIN -> { }
            }
            return Optional.empty();
        } catch (PasswordHashException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The scheme of a stored value. @throws UnknownSchemeException / PasswordHashException as {@link #verify} */
    public static Scheme schemeOf(String stored) {
        return StoredHash.parse(stored).scheme();
    }

    /** A {@code {SHA512-CRYPT}} hash with a random 16-character salt, as {@code setup email add} writes. */
    public static String hash(String password) {
        return hash(password, Scheme.SHA512_CRYPT);
    }

    /** A hash in {@code scheme} with its default cost ({@link #DEFAULT_BCRYPT_COST}, {@link #DEFAULT_SHA_CRYPT_ROUNDS}). */
    public static String hash(String password, Scheme scheme) {
        return hash(password, scheme, 0);
    }

    /**
     * A hash in {@code scheme}. {@code cost} is the bcrypt cost (4..31) for BLF-CRYPT, the rounds
     * (1000..999999999) for SHA512-CRYPT/SHA256-CRYPT, and must be 0 for the salted digests; 0 means
     * the default.
     *
     * @throws IllegalArgumentException for an empty password, a bad cost, or a scheme too weak to create
     *                                  (CRYPT, MD5-CRYPT, unsalted SHA*, PLAIN)
     */
    public static String hash(String password, Scheme scheme, int cost) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("Password must not be empty");
        }
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        return switch (scheme) {
            case SHA512_CRYPT, SHA256_CRYPT -> scheme.prefix() + shaCrypt(pw, scheme, cost);
            case BLF_CRYPT -> scheme.prefix() + bcrypt(pw, cost);
            case SSHA, SSHA256, SSHA512 -> {
                if (cost != 0) {
                    throw new IllegalArgumentException(scheme.prefix() + " has no cost parameter, got " + cost);
                }
                byte[] salt = new byte[16];
                RANDOM.nextBytes(salt);
                byte[] d = SaltedDigests.digest(scheme, pw, salt);
                byte[] out = Arrays.copyOf(d, d.length + salt.length);
                System.arraycopy(salt, 0, out, d.length, salt.length);
                yield scheme.prefix() + Base64.getEncoder().encodeToString(out);
            }
            default -> throw new IllegalArgumentException("refusing to create " + scheme.prefix()
                    + " hashes: the scheme is too weak; use SHA512-CRYPT, BLF-CRYPT or SSHA512");
        };
    }

    private static String shaCrypt(byte[] pw, Scheme scheme, int rounds) {
        int r = rounds == 0 ? DEFAULT_SHA_CRYPT_ROUNDS : rounds;
        if (r < 1000 || r > 999_999_999) {
            throw new IllegalArgumentException(scheme.prefix() + " rounds must be within 1000..999999999, got " + r);
        }
        String id = scheme == Scheme.SHA512_CRYPT ? "$6$" : "$5$";
        String salt = id + (r == DEFAULT_SHA_CRYPT_ROUNDS ? "" : "rounds=" + r + "$") + randomCryptSalt(16);
        return scheme == Scheme.SHA512_CRYPT ? Sha2Crypt.sha512Crypt(pw, salt) : Sha2Crypt.sha256Crypt(pw, salt);
    }

    private static String bcrypt(byte[] pw, int cost) {
        int c = cost == 0 ? DEFAULT_BCRYPT_COST : cost;
        if (c < 4 || c > 31) {
            throw new IllegalArgumentException("{BLF-CRYPT} cost must be within 4..31, got " + c);
        }
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] p = pw.length > CryptHashes.BCRYPT_MAX_PASSWORD_BYTES
                ? Arrays.copyOf(pw, CryptHashes.BCRYPT_MAX_PASSWORD_BYTES) : pw;
        // $2y$ is what Dovecot and htpasswd write; it is identical to $2b$.
        return OpenBSDBCrypt.generate("2y", p, salt, c);
    }

    private static String randomCryptSalt(int length) {
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = CRYPT_ALPHABET[RANDOM.nextInt(CRYPT_ALPHABET.length)];
        }
        return new String(c);
    }

    /** The stored value as bytes: decoded per suffix or scheme default (digests: base64, or hex by length). */
    private static byte[] decoded(StoredHash h) {
        String v = h.value().strip();
        boolean digest = switch (h.scheme()) {
            case SSHA, SSHA256, SSHA512, SHA, SHA256, SHA512 -> true;
            default -> false;
        };
        StoredHash.Encoding enc = h.encoding();
        if (enc == StoredHash.Encoding.DEFAULT && digest) {
            // Dovecot accepts hex for fixed-length digests when the length says so.
            boolean hexLength = !SaltedDigests.salted(h.scheme())
                    && v.length() == 2 * SaltedDigests.digestLength(h.scheme()) && v.matches("[0-9a-fA-F]+");
            enc = hexLength ? StoredHash.Encoding.HEX : StoredHash.Encoding.BASE64;
        }
        String label = "{" + h.scheme().dovecotName() + "}";
        return switch (enc) {
            case DEFAULT -> h.value().getBytes(StandardCharsets.UTF_8);
            case BASE64 -> {
                try {
                    yield Base64.getDecoder().decode(v);
                } catch (IllegalArgumentException e) {
                    throw new PasswordHashException("malformed " + label + " hash: not valid base64 ("
                            + e.getMessage() + ")", e);
                }
            }
            case HEX -> {
                try {
                    yield Hex.decodeHex(v);
                } catch (DecoderException e) {
                    throw new PasswordHashException("malformed " + label + " hash: not valid hex", e);
                }
            }
        };
    }
}
