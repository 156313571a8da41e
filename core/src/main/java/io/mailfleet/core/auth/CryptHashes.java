package io.mailfleet.core.auth;

import org.apache.commons.codec.digest.Md5Crypt;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.apache.commons.codec.digest.UnixCrypt;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.regex.Pattern;

/** crypt(3)-style hashes: verification by recomputing with the stored salt, as glibc and Dovecot do. */
final class CryptHashes {

    /** bcrypt only looks at the first 72 bytes of a password (OpenBSD, glibc, htpasswd, Dovecot). */
    static final int BCRYPT_MAX_PASSWORD_BYTES = 72;
    private static final Pattern DES = Pattern.compile("[./0-9A-Za-z]{13}");
    private static final Pattern SHA512 =
            Pattern.compile("\\$6\\$(rounds=[0-9]{1,9}\\$)?[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{86}");
    private static final Pattern SHA256 =
            Pattern.compile("\\$5\\$(rounds=[0-9]{1,9}\\$)?[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{43}");
    private static final Pattern MD5 = Pattern.compile("\\$1\\$[./0-9A-Za-z]{1,8}\\$[./0-9A-Za-z]{22}");
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./0-9A-Za-z]{53}");

    private CryptHashes() {
    }

    /** Verifies a crypt string under the named scheme; {@link Scheme#CRYPT} picks the algorithm by prefix. */
    static boolean verify(Scheme scheme, byte[] password, String crypt) {
        String label = scheme.prefix();
        return switch (scheme) {
            case SHA512_CRYPT -> sha2(password, crypt, "$6$", label);
            case SHA256_CRYPT -> sha2(password, crypt, "$5$", label);
            case MD5_CRYPT -> md5(password, crypt, label);
            case BLF_CRYPT -> bcrypt(password, crypt, label);
            case CRYPT -> glibc(password, crypt);
            default -> throw new IllegalStateException(scheme + " is not a crypt scheme");
        };
    }

    /** Checks the shape of a crypt string without a password; throws naming the problem. */
    static void validate(Scheme scheme, String crypt) {
        String label = scheme.prefix();
        switch (scheme) {
            case SHA512_CRYPT -> requireShape(crypt, "$6$", label);
            case SHA256_CRYPT -> requireShape(crypt, "$5$", label);
            case MD5_CRYPT -> requireShape(crypt, "$1$", label);
            case BLF_CRYPT -> requireBcrypt(crypt, label);
            case CRYPT -> glibcAlgorithm(crypt);
            default -> throw new IllegalStateException(scheme + " is not a crypt scheme");
        }
    }

    private static boolean glibc(byte[] password, String crypt) {
        return switch (glibcAlgorithm(crypt)) {
            case SHA512_CRYPT -> sha2(password, crypt, "$6$", "{CRYPT}");
            case SHA256_CRYPT -> sha2(password, crypt, "$5$", "{CRYPT}");
            case MD5_CRYPT -> md5(password, crypt, "{CRYPT}");
            case BLF_CRYPT -> bcrypt(password, crypt, "{CRYPT}");
            default -> des(password, crypt);
        };
    }

    /** The algorithm glibc crypt(3) would pick for this hash; DES is reported as {@link Scheme#CRYPT}. */
    private static Scheme glibcAlgorithm(String crypt) {
        if (crypt.startsWith("$6$")) {
            return Scheme.SHA512_CRYPT;
        }
        if (crypt.startsWith("$5$")) {
            return Scheme.SHA256_CRYPT;
        }
        if (crypt.startsWith("$1$")) {
            return Scheme.MD5_CRYPT;
        }
        if (crypt.startsWith("$2")) {
            requireBcrypt(crypt, "{CRYPT}");
            return Scheme.BLF_CRYPT;
        }
        if (crypt.startsWith("$y$") || crypt.startsWith("$gy$") || crypt.startsWith("$7$")) {
            throw new PasswordHashException("{CRYPT} hash uses yescrypt/scrypt ('"
                    + crypt.substring(0, crypt.indexOf('$', 1) + 1) + "'), which is not supported; "
                    + "re-hash the password with SHA512-CRYPT or BLF-CRYPT");
        }
        if (crypt.startsWith("$")) {
            int end = crypt.indexOf('$', 1);
            throw new PasswordHashException("{CRYPT} hash has an unsupported algorithm prefix '"
                    + (end > 0 ? crypt.substring(0, end + 1) : crypt.substring(0, Math.min(4, crypt.length()))) + "'");
        }
        if (!DES.matcher(crypt).matches()) {
            throw new PasswordHashException("malformed {CRYPT} hash: expected 13 DES crypt characters or a "
                    + "$1$/$5$/$6$/$2y$ hash, got " + crypt.length() + " characters");
        }
        return Scheme.CRYPT;
    }

    private static boolean sha2(byte[] password, String crypt, String prefix, String label) {
        requireShape(crypt, prefix, label);
        String computed;
        try {
            computed = prefix.equals("$6$") ? Sha2Crypt.sha512Crypt(password, crypt) : Sha2Crypt.sha256Crypt(password, crypt);
        } catch (IllegalArgumentException e) {
            throw new PasswordHashException("malformed " + label + " hash: " + e.getMessage(), e);
        }
        return constantTimeEquals(computed, crypt);
    }

    private static boolean md5(byte[] password, String crypt, String label) {
        requireShape(crypt, "$1$", label);
        try {
            return constantTimeEquals(Md5Crypt.md5Crypt(password, crypt), crypt);
        } catch (IllegalArgumentException e) {
            throw new PasswordHashException("malformed " + label + " hash: " + e.getMessage(), e);
        }
    }

    private static boolean des(byte[] password, String crypt) {
        try {
            return constantTimeEquals(UnixCrypt.crypt(password, crypt.substring(0, 2)), crypt);
        } catch (IllegalArgumentException e) {
            throw new PasswordHashException("malformed {CRYPT} hash: " + e.getMessage(), e);
        }
    }

    private static boolean bcrypt(byte[] password, String crypt, String label) {
        requireBcrypt(crypt, label);
        byte[] pw = password.length > BCRYPT_MAX_PASSWORD_BYTES
                ? Arrays.copyOf(password, BCRYPT_MAX_PASSWORD_BYTES) : password;
        try {
            return OpenBSDBCrypt.checkPassword(crypt, pw);
        } catch (RuntimeException e) {
            throw new PasswordHashException("malformed " + label + " hash: " + e.getMessage(), e);
        }
    }

    private static void requireBcrypt(String crypt, String label) {
        if (!BCRYPT.matcher(crypt).matches()) {
            throw new PasswordHashException("malformed " + label + " hash: expected $2a$, $2b$ or $2y$, "
                    + "a two-digit cost and 53 characters of salt and hash");
        }
        int cost = Integer.parseInt(crypt.substring(4, 6));
        if (cost < 4 || cost > 31) {
            throw new PasswordHashException("malformed " + label + " hash: cost " + cost + " is outside 4..31");
        }
    }

    private static void requireShape(String crypt, String prefix, String label) {
        if (!crypt.startsWith(prefix)) {
            throw new PasswordHashException("malformed " + label + " hash: it should start with " + prefix);
        }
        Pattern shape = switch (prefix) {
            case "$6$" -> SHA512;
            case "$5$" -> SHA256;
            default -> MD5;
        };
        if (!shape.matcher(crypt).matches()) {
            throw new PasswordHashException("malformed " + label + " hash: expected " + prefix
                    + (prefix.equals("$1$") ? "" : "[rounds=N$]") + "salt$hash with a salt of "
                    + (prefix.equals("$1$") ? "1-8" : "1-16") + " characters [./0-9A-Za-z] and a hash of "
                    + (prefix.equals("$6$") ? 86 : prefix.equals("$5$") ? 43 : 22) + " characters");
        }
    }

    static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
