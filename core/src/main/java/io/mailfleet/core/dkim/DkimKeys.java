package io.mailfleet.core.dkim;

import io.mailfleet.core.files.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * DKIM key generation, DNS key records, and the docker-mailserver OpenDKIM layout
 * ({@code opendkim/keys/<domain>/<selector>.private|.txt}, {@code KeyTable}, {@code SigningTable},
 * {@code TrustedHosts}).
 */
public final class DkimKeys {
    /** The path prefix docker-mailserver writes into KeyTable; it maps to the opendkim config directory. */
    public static final String DMS_OPENDKIM_PREFIX = "/etc/opendkim/";
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final ASN1ObjectIdentifier ID_ED25519 = new ASN1ObjectIdentifier("1.3.101.112");
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private DkimKeys() {
    }

    /** A new RSA key pair of 1024, 2048 or 4096 bits. */
    public static KeyPair generateRsa(int bits) {
        if (bits != 1024 && bits != 2048 && bits != 4096) {
            throw new IllegalArgumentException("DKIM RSA key size must be 1024, 2048 or 4096, not " + bits);
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation unavailable", e);
        }
    }

    /** A new Ed25519 key pair (RFC 8463). */
    public static KeyPair generateEd25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 key generation unavailable", e);
        }
    }

    /** The TXT record value to publish at {@code <selector>._domainkey.<domain>}, e.g. {@code v=DKIM1; h=sha256; k=rsa; p=...}. */
    public static String dnsRecord(PublicKey key) {
        DkimAlgorithm alg = DkimSigningKey.algorithmOf(key);
        byte[] p = alg == DkimAlgorithm.ED25519_SHA256 ? rawEd25519(key) : key.getEncoded();
        return "v=DKIM1; h=sha256; k=" + alg.keyType() + "; p=" + Base64.getEncoder().encodeToString(p);
    }

    /**
     * The zone-file text OpenDKIM's opendkim-genkey writes to {@code <selector>.txt}: the record split into
     * quoted strings of at most 255 characters.
     */
    public static String zoneFileText(String selector, String domain, PublicKey key) {
        String record = dnsRecord(key);
        int p = record.indexOf("p=");
        List<String> strings = new ArrayList<>();
        strings.add(record.substring(0, p));
        for (int i = p; i < record.length(); i += 255) {
            strings.add(record.substring(i, Math.min(record.length(), i + 255)));
        }
        StringBuilder sb = new StringBuilder(selector).append("._domainkey\tIN\tTXT\t( \"").append(strings.get(0)).append('"');
        for (String s : strings.subList(1, strings.size())) {
            sb.append("\n\t  \"").append(s).append('"');
        }
        return sb.append(" )  ; ----- DKIM key ").append(selector).append(" for ").append(domain).append('\n').toString();
    }

    /** Joins the quoted strings of a zone-file TXT entry (an OpenDKIM {@code .txt} file) into the record value. */
    public static String recordFromZoneFileText(String text) throws DkimException {
        Matcher m = QUOTED.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            sb.append(m.group(1).replaceAll("\\\\(.)", "$1"));
        }
        if (sb.isEmpty()) {
            throw new DkimException("no quoted TXT strings found in DKIM record file");
        }
        return sb.toString();
    }

    /** PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), as OpenSSL 3 writes for RSA and Ed25519. */
    public static String toPem(PrivateKey key) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n";
    }

    /** Reads a PEM private key: PKCS#8 ({@code PRIVATE KEY}, RSA or Ed25519) or PKCS#1 ({@code RSA PRIVATE KEY}). */
    public static PrivateKey fromPem(String pem) throws DkimException {
        Matcher m = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]*)-----END \\1-----").matcher(pem);
        if (!m.find()) {
            throw new DkimException("no PEM private key block found");
        }
        String type = m.group(1);
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2).strip());
        } catch (IllegalArgumentException e) {
            throw new DkimException("PEM body is not valid base64");
        }
        try {
            PrivateKeyInfo info;
            if (type.equals("RSA PRIVATE KEY")) {
                info = new PrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                        RSAPrivateKey.getInstance(der));
            } else if (type.equals("PRIVATE KEY")) {
                info = PrivateKeyInfo.getInstance(der);
            } else {
                throw new DkimException("unsupported PEM type '" + type + "' (expected PRIVATE KEY or RSA PRIVATE KEY)");
            }
            String alg = info.getPrivateKeyAlgorithm().getAlgorithm().equals(ID_ED25519) ? "Ed25519" : "RSA";
            return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException | IllegalStateException e) {
            throw new DkimException("cannot read PEM private key: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a key in the docker-mailserver OpenDKIM layout under {@code opendkimDir} and adds its KeyTable,
     * SigningTable and TrustedHosts lines. Existing keys are never overwritten.
     *
     * @return the content of the written {@code <selector>.txt} (the DNS record to publish)
     * @throws DkimException when a key for this domain and selector already exists
     */
    public static String writeOpenDkim(Path opendkimDir, String domain, String selector, KeyPair pair)
            throws IOException, DkimException {
        return writeOpenDkim(opendkimDir, domain, selector, pair, true);
    }

    /**
     * As {@link #writeOpenDkim(Path, String, String, KeyPair)}; with {@code sign} false no SigningTable line is added,
     * so the key is in KeyTable (and its record can be published) but signs nothing yet: a key rotation's new key.
     */
    static String writeOpenDkim(Path opendkimDir, String domain, String selector, KeyPair pair, boolean sign)
            throws IOException, DkimException {
        String d = domain.toLowerCase(Locale.ROOT);
        if (!d.matches("[a-z0-9.-]+") || !selector.matches("[A-Za-z0-9._-]+")) {
            throw new DkimException("invalid DKIM domain or selector: " + domain + " / " + selector);
        }
        Path dir = opendkimDir.resolve("keys").resolve(d);
        Path priv = dir.resolve(selector + ".private");
        if (Files.exists(priv)) {
            throw new DkimException("DKIM key already exists, not overwritten: " + priv);
        }
        PrivateFiles.createDirectories(dir);
        PrivateFiles.writeNew(priv, toPem(pair.getPrivate()));
        String txt = zoneFileText(selector, d, pair.getPublic());
        PrivateFiles.write(dir.resolve(selector + ".txt"), txt);
        String keyName = selector + "._domainkey." + d;
        appendLine(opendkimDir.resolve("KeyTable"), keyName + " " + d + ":" + selector + ":"
                + DMS_OPENDKIM_PREFIX + "keys/" + d + "/" + selector + ".private");
        if (sign) {
            appendLine(opendkimDir.resolve("SigningTable"), "*@" + d + " " + keyName);
        }
        appendLine(opendkimDir.resolve("TrustedHosts"), "127.0.0.1");
        appendLine(opendkimDir.resolve("TrustedHosts"), "localhost");
        return txt;
    }

    private static void appendLine(Path file, String line) throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        if (!lines.contains(line)) {
            PrivateFiles.append(file, line + "\n");
        }
    }

    /**
     * Loads every signing key of an OpenDKIM directory: from KeyTable when present (DMS paths under
     * {@code /etc/opendkim/} map into {@code opendkimDir}), otherwise from {@code keys/<domain>/<selector>.private}.
     */
    public static List<DkimSigningKey> loadOpenDkim(Path opendkimDir) throws IOException, DkimException {
        List<DkimSigningKey> keys = new ArrayList<>();
        Path keyTable = opendkimDir.resolve("KeyTable");
        if (Files.exists(keyTable)) {
            int n = 0;
            for (String line : Files.readAllLines(keyTable, StandardCharsets.UTF_8)) {
                n++;
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] cols = l.split("\\s+", 2);
                String[] parts = cols.length == 2 ? cols[1].split(":", 3) : new String[0];
                if (parts.length != 3) {
                    throw new DkimException(keyTable + " line " + n + ": expected 'name domain:selector:keyfile'");
                }
                Path file = parts[2].startsWith(DMS_OPENDKIM_PREFIX)
                        ? opendkimDir.resolve(parts[2].substring(DMS_OPENDKIM_PREFIX.length()))
                        : opendkimDir.resolve(parts[2]);
                keys.add(load(parts[0], parts[1], file));
            }
            return keys;
        }
        Path root = opendkimDir.resolve("keys");
        if (!Files.isDirectory(root)) {
            return keys;
        }
        try (Stream<Path> files = Files.walk(root, 2)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".private")).sorted().toList()) {
                String sel = f.getFileName().toString();
                keys.add(load(f.getParent().getFileName().toString(), sel.substring(0, sel.length() - ".private".length()), f));
            }
        }
        return keys;
    }

    private static DkimSigningKey load(String domain, String selector, Path file) throws IOException, DkimException {
        if (!Files.exists(file)) {
            throw new DkimException("DKIM key file for " + selector + "._domainkey." + domain + " is missing: " + file);
        }
        try {
            return new DkimSigningKey(domain, selector, fromPem(Files.readString(file, StandardCharsets.US_ASCII)));
        } catch (DkimException e) {
            throw new DkimException(file + ": " + e.getMessage(), e);
        }
    }

    /** The 32 raw bytes of an Ed25519 public key. */
    static byte[] rawEd25519(PublicKey key) {
        byte[] enc = key.getEncoded();
        return Arrays.copyOfRange(enc, enc.length - 32, enc.length);
    }

    /** Parses a key record (RFC 6376 §3.6.1) and returns the key usable with {@code alg}. */
    static PublicKey parsePublicKeyRecord(String record, DkimAlgorithm alg, String name) throws DkimException {
        return parseKeyRecord(record, alg, name).key();
    }

    /** A published key with its flags (t=y testing, t=s the i= domain must be d= itself). */
    record KeyRecord(PublicKey key, boolean testing, boolean strictIdentity) {
    }

    /** Parses a key record (RFC 6376 §3.6.1): the key usable with {@code alg} and its t= flags. */
    static KeyRecord parseKeyRecord(String record, DkimAlgorithm alg, String name) throws DkimException {
        Map<String, String> t = TagList.parse(record, "key record " + name);
        List<String> flags = t.containsKey("t")
                ? Arrays.asList(TagList.noWhitespace(t.get("t")).toLowerCase(Locale.ROOT).split(":")) : List.of();
        return new KeyRecord(publicKey(t, alg, name), flags.contains("y"), flags.contains("s"));
    }

    private static PublicKey publicKey(Map<String, String> t, DkimAlgorithm alg, String name) throws DkimException {
        if (t.containsKey("v") && !t.get("v").equals("DKIM1")) {
            throw new DkimException("key record " + name + " has unsupported version v=" + t.get("v"));
        }
        String k = t.getOrDefault("k", "rsa").toLowerCase(Locale.ROOT);
        if (!k.equals(alg.keyType())) {
            throw new DkimException("key record " + name + " is k=" + k + " but the signature uses " + alg.tag());
        }
        if (t.containsKey("h") && !Arrays.asList(TagList.noWhitespace(t.get("h")).toLowerCase(Locale.ROOT).split(":")).contains("sha256")) {
            throw new DkimException("key record " + name + " does not allow sha256");
        }
        if (t.containsKey("s")) {
            List<String> s = Arrays.asList(TagList.noWhitespace(t.get("s")).toLowerCase(Locale.ROOT).split(":"));
            if (!s.contains("*") && !s.contains("email")) {
                throw new DkimException("key record " + name + " is not for email (s=" + t.get("s") + ")");
            }
        }
        if (!t.containsKey("p")) {
            throw new DkimException("key record " + name + " has no p= tag");
        }
        String p = TagList.noWhitespace(t.get("p"));
        if (p.isEmpty()) {
            throw new DkimException("key " + name + " is revoked (empty p=)");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(p);
            if (alg == DkimAlgorithm.ED25519_SHA256) {
                if (bytes.length != 32) {
                    throw new DkimException("Ed25519 key at " + name + " must be 32 bytes, got " + bytes.length);
                }
                byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, 44);
                System.arraycopy(bytes, 0, spki, 12, 32);
                return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            }
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(bytes));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new DkimException("key record " + name + " has an unreadable p= value: " + e.getMessage());
        }
    }
}
