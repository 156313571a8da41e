package io.mailfleet.protocols.imap;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Successful logins remembered for a short time (Dovecot's auth cache), so a client that reconnects
 * for every check does not pay a password hash each time. Keyed by a SHA-256 of a per-process random
 * salt, the login and the password: the password itself is never stored, and a different password
 * never hits. Failures are never cached, so every wrong password still reaches the authenticator and
 * the ban list. An entry lives at most {@code ttl}, and only while the account's stored password
 * hash (read from the directory cache on every hit) is the one it was verified against: a changed
 * password or a removed account invalidates it at once.
 */
public final class AuthCache {
    private static final int MAX_ENTRIES = 100_000;

    private final long ttlNanos;
    private final byte[] salt = new byte[32];
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final java.util.function.Function<String, String> storedHash;

    private record Entry(String account, String storedHash, long expiresAt) {
    }

    /** Without a directory: entries are only bounded by {@code ttl}. */
    AuthCache(Duration ttl) {
        this(ttl, account -> "");
    }

    /** {@code storedHash} gives an account's current password hash, or null when it does not exist. */
    AuthCache(Duration ttl, java.util.function.Function<String, String> storedHash) {
        this.ttlNanos = ttl.toNanos();
        this.storedHash = storedHash;
        new SecureRandom().nextBytes(salt);
    }

    /** The account a previous successful login with exactly these credentials resolved to, or null. */
    public String get(String login, String password) {
        if (ttlNanos <= 0) {
            return null;
        }
        String k = key(login, password);
        Entry e = entries.get(k);
        if (e == null) {
            return null;
        }
        if (System.nanoTime() - e.expiresAt() > 0 || !e.storedHash().equals(storedHash.apply(e.account()))) {
            entries.remove(k, e);
            return null;
        }
        return e.account();
    }

    public void put(String login, String password, String account) {
        if (ttlNanos <= 0) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            long now = System.nanoTime();
            entries.values().removeIf(e -> now - e.expiresAt() > 0);
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        String hash = storedHash.apply(account);
        if (hash == null) {
            return;
        }
        entries.put(key(login, password), new Entry(account, hash, System.nanoTime() + ttlNanos));
    }

    private String key(String login, String password) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(salt);
            d.update(login.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(password.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
