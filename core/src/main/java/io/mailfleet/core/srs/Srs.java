package io.mailfleet.core.srs;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sender Rewriting Scheme with the exact semantics of postsrsd/libsrs2 (guarded scheme, '=' separator,
 * 4-character HMAC-SHA1 hash, 2-character base32 day stamp, 21 days maximum age).
 *
 * <p>Secrets are used as their UTF-8 bytes, as postsrsd uses each line of its secret file; the first
 * secret signs, every secret verifies (key rotation).
 */
public final class Srs {
    private static final String TIME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int TIME_SLOTS = 1024;
    private static final long SECONDS_PER_DAY = 86_400L;
    private static final int HASH_LENGTH = 4;
    private static final String SEPARATORS = "=-+";
    /** postsrsd's default maximum age of an SRS0 address, in days. */
    public static final int DEFAULT_MAX_AGE_DAYS = 21;

    private final List<byte[]> secrets;
    private final Set<String> excludedDomains;
    private final int maxAgeDays;
    private final Clock clock;

    /**
     * @param secrets         at least one secret; the first signs, all verify
     * @param excludedDomains SRS_EXCLUDE_DOMAINS: senders in these domains are not rewritten; an entry
     *                        starting with '.' matches every subdomain (postsrsd convention)
     */
    public Srs(List<String> secrets, Set<String> excludedDomains, int maxAgeDays, Clock clock) {
        if (secrets == null || secrets.isEmpty() || secrets.stream().anyMatch(s -> s == null || s.isEmpty())) {
            throw new IllegalArgumentException("SRS needs at least one non-empty secret");
        }
        if (maxAgeDays < 1 || maxAgeDays >= TIME_SLOTS) {
            throw new IllegalArgumentException("SRS maximum age must be 1.." + (TIME_SLOTS - 1) + " days: " + maxAgeDays);
        }
        this.secrets = secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        this.excludedDomains = excludedDomains.stream().map(d -> d.trim().toLowerCase(Locale.ROOT))
                .filter(d -> !d.isEmpty()).collect(Collectors.toUnmodifiableSet());
        this.maxAgeDays = maxAgeDays;
        this.clock = clock;
    }

    /** Secrets, exclusions and defaults as docker-mailserver passes them (comma lists from SRS_SECRET, SRS_EXCLUDE_DOMAINS). */
    public static Srs fromEnvironment(String srsSecret, String excludeDomains, Clock clock) {
        List<String> secrets = splitComma(srsSecret);
        return new Srs(secrets, Set.copyOf(splitComma(excludeDomains)), DEFAULT_MAX_AGE_DAYS, clock);
    }

    private static List<String> splitComma(String value) {
        if (value == null) {
            return List.of();
        }
        return java.util.Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    /** True when a sender in this domain must keep its address (local SRS domain or SRS_EXCLUDE_DOMAINS). */
    public boolean isExcluded(String domain, String localDomain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (d.equals(localDomain.toLowerCase(Locale.ROOT))) {
            return true;
        }
        for (String ex : excludedDomains) {
            if (ex.startsWith(".") ? d.endsWith(ex) : d.equals(ex)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Rewrites an envelope sender for forwarding through {@code localDomain}. The null sender, addresses
     * without a domain and excluded domains are returned unchanged; SRS0/SRS1 senders become SRS1.
     */
    public String forward(String sender, String localDomain) {
        if (localDomain == null || localDomain.isBlank() || localDomain.indexOf('@') >= 0) {
            throw new IllegalArgumentException("invalid SRS domain: " + localDomain);
        }
        if (sender == null || sender.isEmpty()) {
            return sender == null ? "" : sender;
        }
        int at = sender.lastIndexOf('@');
        if (at <= 0 || at == sender.length() - 1) {
            return sender;
        }
        String user = sender.substring(0, at);
        String host = sender.substring(at + 1);
        if (isExcluded(host, localDomain)) {
            return sender;
        }
        if (hasTag(user, "SRS1")) {
            String rest = user.substring(5);
            int sep1 = rest.indexOf('=');
            if (sep1 < 0) {
                return shortcut(host, user, localDomain);
            }
            String srsHost = rest.substring(sep1 + 1);
            int sep2 = srsHost.indexOf('=');
            if (sep2 < 0) {
                return shortcut(host, user, localDomain);
            }
            String srsUser = srsHost.substring(sep2 + 1);
            srsHost = srsHost.substring(0, sep2);
            return "SRS1=" + hash(secrets.get(0), srsHost, srsUser) + "=" + srsHost + "=" + srsUser + "@" + localDomain;
        }
        if (hasTag(user, "SRS0")) {
            String srsUser = user.substring(4);
            return "SRS1=" + hash(secrets.get(0), host, srsUser) + "=" + host + "=" + srsUser + "@" + localDomain;
        }
        return shortcut(host, user, localDomain);
    }

    private String shortcut(String host, String user, String localDomain) {
        String stamp = stamp(today());
        return "SRS0=" + hash(secrets.get(0), stamp, host, user) + "=" + stamp + "=" + host + "=" + user + "@" + localDomain;
    }

    /** True when the local part is an SRS0 or SRS1 address this class can try to reverse. */
    public static boolean isSrs(String address) {
        if (address == null) {
            return false;
        }
        int at = address.lastIndexOf('@');
        String user = at < 0 ? address : address.substring(0, at);
        return hasTag(user, "SRS0") || hasTag(user, "SRS1");
    }

    /**
     * Reverses an SRS address to the address it was made from: SRS0 gives the original sender, SRS1
     * gives the SRS0 address of the first forwarder (as postsrsd does).
     *
     * @throws SrsException when the address is not SRS, is malformed, has a wrong hash or is too old
     */
    public String reverse(String address) throws SrsException {
        if (address == null || address.isEmpty()) {
            throw new SrsException("empty address is not an SRS address");
        }
        int at = address.lastIndexOf('@');
        String user = at < 0 ? address : address.substring(0, at);
        if (hasTag(user, "SRS1")) {
            String[] p = splitFields(user.substring(5), 2, "SRS1");
            String hash = p[0];
            String srsHost = p[1];
            String srsUser = user.substring(5 + hash.length() + 1 + srsHost.length() + 1);
            checkHash(hash, srsHost, srsUser);
            return "SRS0" + srsUser + "@" + srsHost;
        }
        if (hasTag(user, "SRS0")) {
            String[] p = splitFields(user.substring(5), 3, "SRS0");
            String hash = p[0];
            String stamp = p[1];
            String host = p[2];
            String origUser = user.substring(5 + hash.length() + 1 + stamp.length() + 1 + host.length() + 1);
            if (origUser.isEmpty()) {
                throw new SrsException("SRS0 address has no original local part: " + address);
            }
            checkStamp(stamp);
            checkHash(hash, stamp, host, origUser);
            return origUser + "@" + host;
        }
        throw new SrsException("not an SRS address: " + address);
    }

    private static String[] splitFields(String s, int count, String tag) throws SrsException {
        String[] out = new String[count];
        int from = 0;
        for (int i = 0; i < count; i++) {
            int sep = s.indexOf('=', from);
            if (sep < 0) {
                throw new SrsException(tag + " address has too few '=' separated fields");
            }
            out[i] = s.substring(from, sep);
            from = sep + 1;
        }
        return out;
    }

    private static boolean hasTag(String user, String tag) {
        return user.length() > 4 && user.regionMatches(true, 0, tag, 0, 4) && SEPARATORS.indexOf(user.charAt(4)) >= 0;
    }

    private void checkStamp(String stamp) throws SrsException {
        if (stamp.length() != 2) {
            throw new SrsException("SRS timestamp must be 2 characters: '" + stamp + "'");
        }
        int then = 0;
        for (char c : stamp.toCharArray()) {
            int v = TIME_CHARS.indexOf(Character.toUpperCase(c));
            if (v < 0) {
                throw new SrsException("bad character in SRS timestamp: '" + stamp + "'");
            }
            then = (then << 5) | v;
        }
        int now = today();
        while (now < then) {
            now += TIME_SLOTS;
        }
        if (now > then + maxAgeDays) {
            throw new SrsException("SRS timestamp expired (older than " + maxAgeDays + " days): '" + stamp + "'");
        }
    }

    private void checkHash(String hash, String... data) throws SrsException {
        if (hash.length() != HASH_LENGTH) {
            throw new SrsException("SRS hash must be " + HASH_LENGTH + " characters: '" + hash + "'");
        }
        for (byte[] secret : secrets) {
            if (hash.equalsIgnoreCase(hash(secret, data))) {
                return;
            }
        }
        throw new SrsException("SRS hash does not verify: '" + hash + "'");
    }

    private int today() {
        return (int) (Math.floorDiv(clock.millis() / 1000, SECONDS_PER_DAY) % TIME_SLOTS);
    }

    static String stamp(int day) {
        return "" + TIME_CHARS.charAt((day >> 5) & 31) + TIME_CHARS.charAt(day & 31);
    }

    static String hash(byte[] secret, String... data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            for (String d : data) {
                // libsrs2 lower-cases ASCII only (isupper/tolower in the C locale)
                mac.update(asciiLower(d).getBytes(StandardCharsets.UTF_8));
            }
            return Base64.getEncoder().encodeToString(mac.doFinal()).substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    private static String asciiLower(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return b.toString();
    }
}
