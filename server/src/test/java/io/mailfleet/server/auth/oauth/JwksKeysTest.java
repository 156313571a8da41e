package io.mailfleet.server.auth.oauth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Key rotation against a real HTTP server serving the JWKS: the cached set is reused, a token signed
 * with a new key id fetches the set again, and tokens with unknown key ids fetch it at most once per
 * refetch interval. Time is a clock the test moves, never the wall clock.
 */
class JwksKeysTest {

    private HttpServer http;
    private final AtomicReference<String> served = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
    private ExecutorService executor;
    private MovableClock clock;
    private JwtTokenValidator validator;

    @BeforeEach
    void start() throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(down.get() ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        executor = Executors.newFixedThreadPool(2);
        clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
        ProviderHttp provider = new ProviderHttp(executor, Duration.ofSeconds(10));
        URI uri = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/jwks");
        JwksKeys keys = new JwksKeys(provider, () -> CompletableFuture.completedFuture(uri), Duration.ofMinutes(15),
                Duration.ofSeconds(30), clock);
        validator = new JwtTokenValidator(keys, "https://idp.example", "mail", "email", Duration.ofSeconds(60), executor);
    }

    @AfterEach
    void stop() {
        http.stop(0);
        executor.shutdownNow();
    }

    private static RSAKey key(String kid) throws Exception {
        return new RSAKeyGenerator(2048).keyID(kid).generate();
    }

    private String token(RSAKey key) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://idp.example").audience("mail")
                .claim("email", "user@example.com")
                // the claims check reads the system clock: the token is valid for an hour from now
                .expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private TokenVerdict check(String token) throws Exception {
        return validator.validate(token).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void rotatedKeysAreFetchedAndUnknownKeyIdsAreRateLimited() throws Exception {
        RSAKey first = key("k1");
        RSAKey second = key("k2");
        served.set(new JWKSet(first.toPublicJWK()).toString());
        assertEquals("user@example.com", check(token(first)).account());
        assertEquals("user@example.com", check(token(first)).account());
        assertEquals(1, fetches.get(), "the cached set is reused");

        // the provider rotates: k2 is new, a token signed with it fetches the set again
        served.set(new JWKSet(java.util.List.of(first.toPublicJWK(), second.toPublicJWK())).toString());
        clock.advance(Duration.ofSeconds(31));
        assertTrue(check(token(second)).isValid());
        assertEquals(2, fetches.get());

        // made-up key ids: one fetch, then none until the refetch interval has passed
        RSAKey stranger = key("made-up");
        assertFalse(check(token(stranger)).isValid());
        clock.advance(Duration.ofSeconds(31));
        assertFalse(check(token(stranger)).isValid());
        assertEquals(3, fetches.get());
        for (int i = 0; i < 5; i++) {
            assertFalse(check(token(stranger)).isValid());
        }
        assertEquals(3, fetches.get(), "unknown key ids within the interval do not reach the provider");
        assertTrue(check(token(second)).isValid(), "known keys keep working meanwhile");

        // after the cache lifetime the set is fetched again even for a known key
        clock.advance(Duration.ofMinutes(16));
        assertTrue(check(token(first)).isValid());
        assertEquals(4, fetches.get());

        // the provider is down when the set is due again: the keys fetched before stay in use
        down.set(true);
        clock.advance(Duration.ofMinutes(16));
        assertTrue(check(token(first)).isValid(), "known keys keep working while the provider is down");
        assertEquals(5, fetches.get());
        assertFalse(check(token(key("k3"))).isValid());
        assertTrue(check(token(second)).isValid());
        assertEquals(5, fetches.get(), "no new attempt within the refetch interval");
    }

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
