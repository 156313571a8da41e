package io.mailfleet.server.web;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SessionCookies}: a cookie is only as good as its signature and its expiry. */
class SessionCookiesTest {

    private static final Instant NOW = Instant.parse("2026-12-07T02:00:00Z");

    private static SessionCookies at(Instant now, String token) {
        return new SessionCookies(token, Duration.ofHours(8), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aSessionRoundTripsUntilItExpires() {
        SessionCookies c = at(NOW, "token-1");
        WebSession s = c.newSession(false, Optional.of("bob@example.com"));
        String cookie = c.encode(s);
        assertEquals(Optional.of(s), c.decode(cookie));
        assertEquals(Optional.empty(), at(NOW.plus(Duration.ofHours(8)), "token-1").decode(cookie));
    }

    @Test
    void aForgedOrForeignCookieIsRefused() {
        SessionCookies c = at(NOW, "token-1");
        String cookie = c.encode(c.newSession(false, Optional.of("bob@example.com")));
        String payload = cookie.substring(0, cookie.indexOf('.'));
        String admin = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(payload)).replace("|U|", "|A|").getBytes());
        assertTrue(c.decode(admin + cookie.substring(cookie.indexOf('.'))).isEmpty(), "a changed payload");
        assertTrue(at(NOW, "token-2").decode(cookie).isEmpty(), "signed with another node's token");
        assertTrue(c.decode("garbage").isEmpty());
        assertTrue(c.decode("a.b.c").isEmpty());
    }

    @Test
    void csrfTokensBelongToOneSession() {
        SessionCookies c = at(NOW, "token-1");
        WebSession a = c.newSession(true, Optional.empty());
        WebSession b = c.newSession(true, Optional.empty());
        assertNotEquals(c.csrfToken(a), c.csrfToken(b));
        assertTrue(SessionCookies.sameToken(c.csrfToken(a), c.csrfToken(a)));
        assertTrue(!SessionCookies.sameToken(c.csrfToken(a), null));
    }
}
