package io.mailfleet.server.outbound;

import io.mailfleet.core.dkim.DkimException;
import io.mailfleet.core.dkim.DkimKeys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Locale;

/**
 * Makes a domain's DKIM key in the OpenDKIM directory the node signs from (docker-mailserver layout,
 * {@link DkimKeys#writeOpenDkim}): the code behind {@code ./mailfleet config dkim} and the web UI's DKIM page,
 * with one set of checks and messages. An existing key is never overwritten; {@link DkimKeyring} picks a
 * new one up without a restart.
 */
public final class DkimKeyMaker {

    /** The key sizes docker-mailserver's {@code setup config dkim} offers. */
    public static final List<Integer> KEY_SIZES = List.of(1024, 2048, 4096);
    public static final int DEFAULT_KEY_SIZE = 2048;
    public static final String DEFAULT_SELECTOR = "mail";

    /** A refused value, worded as the CLI words it. */
    public static final class Refused extends IllegalArgumentException {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * A key of a domain: {@code created} false when one existed already (then {@code txt} is its record file's
     * text, empty when that file is missing).
     */
    public record Made(String domain, String selector, Path privateKey, Path txtFile, String txt, boolean created) {
        /** The DNS name the record is published at. */
        public String recordName() {
            return selector + "._domainkey." + domain;
        }
    }

    private final Path dir;

    /** {@code dir}: the OpenDKIM directory, {@code mailfleet.outbound.dkim-dir} as the node resolves it. */
    public DkimKeyMaker(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** {@code rsa} or {@code ed25519}, {@code rsa} when blank. */
    public static String keyType(String raw) {
        String t = raw == null || raw.isBlank() ? "rsa" : raw.strip().toLowerCase(Locale.ROOT);
        if (!t.equals("rsa") && !t.equals("ed25519")) {
            throw new Refused("Invalid keytype '" + raw + "': possible values are rsa and ed25519");
        }
        return t;
    }

    /** 1024, 2048 or 4096; null when blank (the default). */
    public static Integer keySize(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String v = raw.strip();
        if (!v.matches("[0-9]{1,5}") || !KEY_SIZES.contains(Integer.parseInt(v))) {
            throw new Refused("Invalid keysize '" + v + "': possible values are 1024, 2048 and 4096");
        }
        return Integer.parseInt(v);
    }

    /** A selector, {@value #DEFAULT_SELECTOR} when blank. */
    public static String selector(String raw) {
        String v = raw == null || raw.isBlank() ? DEFAULT_SELECTOR : raw.strip();
        if (!v.matches("[A-Za-z0-9._-]+")) {
            throw new Refused("Invalid selector '" + v + "': use letters, digits, '.', '_' or '-'");
        }
        return v;
    }

    /** A domain name, lower-cased. */
    public static String domain(String raw) {
        String v = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        if (!v.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
            throw new Refused("Invalid domain '" + (raw == null ? "" : raw.strip())
                    + "': expected a domain name such as example.com");
        }
        return v;
    }

    /** Refuses a key size given with ed25519; the bits to use otherwise. */
    public static int bits(String keyType, Integer keySize) {
        if (keyType.equals("ed25519") && keySize != null) {
            throw new Refused("The keysize option is not supported for keytype 'ed25519'");
        }
        return keySize == null ? DEFAULT_KEY_SIZE : keySize;
    }

    /** Whether a key of this type and size is discouraged (RFC 8301: RSA above 2048 bits does not fit many DNS providers). */
    public static boolean discouraged(String keyType, int bits) {
        return keyType.equals("rsa") && bits > DEFAULT_KEY_SIZE;
    }

    /**
     * Makes the key of {@code domain} with {@code selector} unless it exists, and signs the domain's mail with it
     * (a SigningTable line). Arguments are checked values ({@link #domain}, {@link #selector}, {@link #keyType},
     * {@link #bits}). Generating an RSA key takes a moment: call it off request threads.
     */
    public synchronized Made make(String domain, String selector, String keyType, int bits) throws IOException, DkimException {
        Path priv = dir.resolve("keys").resolve(domain).resolve(selector + ".private");
        Path txtFile = priv.resolveSibling(selector + ".txt");
        if (Files.exists(priv)) {
            String txt = Files.exists(txtFile) ? Files.readString(txtFile, StandardCharsets.US_ASCII) : "";
            return new Made(domain, selector, priv, txtFile, txt, false);
        }
        return new Made(domain, selector, priv, txtFile, DkimKeys.writeOpenDkim(dir, domain, selector, generate(keyType, bits)), true);
    }

    /** A new key pair of a checked type and size (a key rotation's new key is made here too). */
    public static KeyPair generate(String keyType, int bits) {
        return keyType.equals("ed25519") ? DkimKeys.generateEd25519() : DkimKeys.generateRsa(bits);
    }
}
