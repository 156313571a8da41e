package io.mailfleet.server.web;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Web logins as signed cookies: the session is the cookie's content, HMAC-SHA256 signed with a key
 * derived from the node's API token, so no session table exists anywhere (a node keeps no state per
 * browser, and changing the token ends every web login). CSRF tokens are derived from the session's
 * nonce, and the login form's from a pre-login nonce cookie (double submit).
 */
public final class SessionCookies {

    /** The session cookie. */
    public static final String SESSION = "mailfleet_session";
    /** The login form's CSRF nonce cookie. */
    public static final String PRE_LOGIN = "mailfleet_login";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private final Duration lifetime;
    private final Clock clock;

    /** Keys derived from {@code apiToken}; logins last {@code lifetime}. */
    public SessionCookies(String apiToken, Duration lifetime, Clock clock) {
        try {
            this.key = MessageDigest.getInstance("SHA-256")
                    .digest(("mailfleet-web-ui\0" + apiToken).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** A new login, valid for the configured lifetime from now. */
    public WebSession newSession(boolean admin, Optional<String> account) {
        return new WebSession(admin, account, clock.instant().plus(lifetime), randomNonce());
    }

    /** How long a login lasts (the cookie's Max-Age). */
    public Duration lifetime() {
        return lifetime;
    }

    /** The cookie value of {@code s}. */
    public String encode(WebSession s) {
        String payload = "v1|" + (s.admin() ? "A" : "U") + "|" + s.expires().getEpochSecond() + "|" + s.nonce()
                + "|" + s.account().orElse("");
        String p = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return p + "." + B64.encodeToString(mac("session", p));
    }

    /** The session of a cookie value; empty when forged, malformed or expired. */
    public Optional<WebSession> decode(String cookie) {
        int dot = cookie == null ? -1 : cookie.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String p = cookie.substring(0, dot);
        byte[] given;
        String payload;
        try {
            given = B64D.decode(cookie.substring(dot + 1));
            payload = new String(B64D.decode(p), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(mac("session", p), given)) {
            return Optional.empty();
        }
        String[] f = payload.split("\\|", 5);
        if (f.length != 5 || !f[0].equals("v1")) {
            return Optional.empty();
        }
        Instant expires;
        try {
            expires = Instant.ofEpochSecond(Long.parseLong(f[2]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(expires)) {
            return Optional.empty();
        }
        return Optional.of(new WebSession(f[1].equals("A"), Optional.of(f[4]).filter(a -> !a.isEmpty()), expires, f[3]));
    }

    /** The CSRF token every form of {@code s} carries. */
    public String csrfToken(WebSession s) {
        return B64.encodeToString(mac("csrf", s.nonce()));
    }

    /** The CSRF token of the login form shown with pre-login nonce {@code nonce}. */
    public String loginCsrfToken(String nonce) {
        return B64.encodeToString(mac("login-csrf", nonce));
    }

    /** Whether {@code given} is the CSRF token {@code expected}, in constant time. */
    public static boolean sameToken(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    /** 128 random bits, base64url. */
    public static String randomNonce() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return B64.encodeToString(b);
    }

    private byte[] mac(String purpose, String value) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            m.update(purpose.getBytes(StandardCharsets.UTF_8));
            m.update((byte) 0);
            return m.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
