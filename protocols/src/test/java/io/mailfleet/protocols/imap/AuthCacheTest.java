package io.mailfleet.protocols.imap;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The verified-login cache: exact credentials only, never when disabled. */
class AuthCacheTest {

    @Test
    void onlyTheSameLoginAndPasswordHit() {
        AuthCache c = new AuthCache(Duration.ofSeconds(60));
        assertNull(c.get("User@Example.com", "secret"));
        c.put("User@Example.com", "secret", "user@example.com");
        assertEquals("user@example.com", c.get("user@example.com", "secret"));
        assertNull(c.get("user@example.com", "Secret"));
        assertNull(c.get("other@example.com", "secret"));
        assertNull(c.get("user@example.com", "secret\u0000"));
    }

    @Test
    void aChangedPasswordOrRemovedAccountInvalidatesAtOnce() {
        java.util.Map<String, String> hashes = new java.util.concurrent.ConcurrentHashMap<>();
        hashes.put("u@example.com", "{PLAIN}old");
        AuthCache c = new AuthCache(Duration.ofSeconds(60), hashes::get);
        c.put("u@example.com", "old", "u@example.com");
        assertEquals("u@example.com", c.get("u@example.com", "old"));
        hashes.put("u@example.com", "{PLAIN}new");
        assertNull(c.get("u@example.com", "old"), "the old password no longer hits after a change");
        c.put("u@example.com", "new", "u@example.com");
        assertEquals("u@example.com", c.get("u@example.com", "new"));
        hashes.remove("u@example.com");
        assertNull(c.get("u@example.com", "new"), "a removed account never hits");
        c.put("u@example.com", "new", "u@example.com");
        assertNull(c.get("u@example.com", "new"), "nothing is cached for an account that does not exist");
    }

    @Test
    void zeroTtlDisablesTheCache() {
        AuthCache c = new AuthCache(Duration.ZERO);
        c.put("u@example.com", "pw", "u@example.com");
        assertNull(c.get("u@example.com", "pw"));
    }
}
