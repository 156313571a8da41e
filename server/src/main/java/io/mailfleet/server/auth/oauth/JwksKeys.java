package io.mailfleet.server.auth.oauth;

import com.nimbusds.jose.jwk.JWKSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The provider's signing keys, fetched once and reused for {@code ttl}. A token signed with a key id
 * the cached set does not have (the provider rotated its keys) fetches the set again, but at most
 * once per {@code refetchInterval}, so tokens with made-up key ids cannot make this node hammer the
 * provider. One fetch at a time: concurrent logins wait for the same answer. When a fetch fails, the
 * set fetched before stays in use. The JWKS address is given, or read once from the issuer's OIDC
 * discovery document.
 */
final class JwksKeys {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.auth");

    private final ProviderHttp http;
    private final Supplier<CompletableFuture<URI>> location;
    private final Duration ttl;
    private final Duration refetchInterval;
    private final Clock clock;

    private JWKSet keys;
    private Instant fetchedAt = Instant.EPOCH;
    private Instant lastAttempt = Instant.EPOCH;
    private CompletableFuture<JWKSet> inFlight;

    JwksKeys(ProviderHttp http, Supplier<CompletableFuture<URI>> location, Duration ttl, Duration refetchInterval, Clock clock) {
        this.http = http;
        this.location = location;
        this.ttl = ttl;
        this.refetchInterval = refetchInterval;
        this.clock = clock;
    }

    /** The JWKS address from the issuer's discovery document ({@code jwks_uri}), asked once; a failure is asked again. */
    static Supplier<CompletableFuture<URI>> discovered(ProviderHttp http, String issuer) {
        URI config = URI.create(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration");
        AtomicReference<CompletableFuture<URI>> answer = new AtomicReference<>();
        return () -> answer.updateAndGet(a -> a == null || a.isCompletedExceptionally()
                ? http.getJson(config).thenApply(doc -> jwksUri(config, doc)) : a);
    }

    private static URI jwksUri(URI config, Map<String, Object> doc) {
        Object uri = doc.get("jwks_uri");
        if (!(uri instanceof String s) || s.isBlank()) {
            throw new ProviderHttp.ProviderException(config + " has no jwks_uri");
        }
        LOG.info("oauth2: signing keys of {} at {}", config, s);
        return URI.create(s);
    }

    /**
     * The key set to verify a token signed with {@code keyId} (null: the token names none): the cached
     * set when it is fresh and has that key, else a new fetch when allowed.
     */
    synchronized CompletionStage<JWKSet> forKey(String keyId) {
        Instant now = clock.instant();
        boolean fresh = keys != null && now.isBefore(fetchedAt.plus(ttl));
        boolean known = keys != null && (keyId == null || keys.getKeyByKeyId(keyId) != null);
        if (fresh && known) {
            return CompletableFuture.completedFuture(keys);
        }
        if (inFlight != null) {
            return inFlight;
        }
        if (keys != null && now.isBefore(lastAttempt.plus(refetchInterval))) {
            // Fetched (or tried to) just now: an unknown key id is refused below, and while the
            // provider is down a stale set is used rather than asked for again on every login.
            return CompletableFuture.completedFuture(keys);
        }
        lastAttempt = now;
        CompletableFuture<JWKSet> fetch = location.get()
                .thenCompose(http::getText)
                .thenApply(JwksKeys::parse);
        inFlight = fetch;
        fetch.whenComplete((set, err) -> stored(fetch, set, err));
        JWKSet previous = keys;
        // A provider that is down does not stop logins with keys already known (a stale set stays usable).
        return previous == null ? fetch : fetch.exceptionally(err -> previous);
    }

    private synchronized void stored(CompletableFuture<JWKSet> fetch, JWKSet set, Throwable err) {
        if (inFlight == fetch) {
            inFlight = null;
        }
        if (err == null) {
            keys = set;
            fetchedAt = clock.instant();
            LOG.debug("oauth2: {} signing keys fetched", set.getKeys().size());
        } else {
            LOG.warn("oauth2: signing keys not fetched: {}", err.getMessage());
        }
    }

    private static JWKSet parse(String body) {
        try {
            return JWKSet.parse(body);
        } catch (java.text.ParseException e) {
            throw new ProviderHttp.ProviderException("JWKS unreadable: " + e.getMessage());
        }
    }
}
