package io.mailfleet.server.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mailfleet.oauth2}: SASL XOAUTH2 and OAUTHBEARER ({@code ENABLE_OAUTH2}). Tokens are checked
 * by RFC 7662 introspection ({@code OAUTH2_INTROSPECTION_URL}, client credentials in the URL's user
 * part as docker-mailserver writes them, or in {@code client-id}/{@code client-secret}) and/or locally
 * as JWTs signed by a key of the provider's JWKS ({@code jwks-url}, or found by OIDC discovery from
 * {@code issuer}). With both, a JWT is checked locally and an opaque token by introspection.
 *
 * @param introspectionUrl    the endpoint without its user part; empty when not used
 * @param jwksUrl             the JWKS document; empty when found by discovery or not used
 * @param issuer              the required {@code iss} (and the discovery base); empty: not checked
 * @param audience            the required {@code aud} value; empty: not checked
 * @param usernameClaim       the claim naming the account (docker-mailserver: {@code email})
 * @param clockSkew           tolerance on {@code exp} and {@code nbf}
 * @param jwksCacheTtl        how long a fetched JWKS is used before it is fetched again
 * @param jwksRefetchInterval shortest time between two fetches caused by an unknown key id
 * @param httpTimeout         connect and answer time-out of every call to the provider
 * @param scope               the {@code scope} of the RFC 7628 error challenge
 */
public record OAuth2Settings(boolean enabled, Optional<URI> introspectionUrl, String clientId, String clientSecret,
                             Optional<URI> jwksUrl, String issuer, String audience, String usernameClaim,
                             Duration clockSkew, Duration jwksCacheTtl, Duration jwksRefetchInterval,
                             Duration httpTimeout, String scope) {

    @Override
    public String toString() {
        return "OAuth2Settings[enabled=" + enabled + ", introspection=" + introspectionUrl + ", jwks=" + jwksUrl
                + ", issuer=" + issuer + "]"; // never the client secret
    }

    /** Whether tokens are checked locally against a JWKS (given or discovered). */
    public boolean localJwt() {
        return jwksUrl.isPresent() || !issuer.isEmpty();
    }

    static OAuth2Settings read(ValueReader r) {
        boolean enabled = r.bool("mailfleet.oauth2.enabled");
        String introspectionKey = "mailfleet.oauth2.introspection-url";
        String introspectionText = r.string(introspectionKey);
        Optional<URI> introspection = introspectionText.isEmpty() ? Optional.empty()
                : Optional.of(httpUri(r, introspectionKey, introspectionText));
        String clientId = r.string("mailfleet.oauth2.client-id");
        String clientSecret = r.string("mailfleet.oauth2.client-secret");
        if (introspection.isPresent() && introspection.get().getRawUserInfo() != null) {
            // docker-mailserver: https://client:secret@provider/introspect; explicit keys win.
            String info = introspection.get().getRawUserInfo();
            int colon = info.indexOf(':');
            String user = URLDecoder.decode(colon < 0 ? info : info.substring(0, colon), StandardCharsets.UTF_8);
            String pass = colon < 0 ? "" : URLDecoder.decode(info.substring(colon + 1), StandardCharsets.UTF_8);
            clientId = clientId.isEmpty() ? user : clientId;
            clientSecret = clientSecret.isEmpty() ? pass : clientSecret;
            URI u = introspection.get();
            introspection = Optional.of(URI.create(u.getScheme() + "://" + u.getRawAuthority().substring(info.length() + 1)
                    + (u.getRawPath() == null ? "" : u.getRawPath()) + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery())));
        }
        String jwksKey = "mailfleet.oauth2.jwks-url";
        String jwksText = r.string(jwksKey);
        Optional<URI> jwks = jwksText.isEmpty() ? Optional.empty() : Optional.of(httpUri(r, jwksKey, jwksText));
        String issuer = r.string("mailfleet.oauth2.issuer");
        if (!issuer.isEmpty()) {
            httpUri(r, "mailfleet.oauth2.issuer", issuer);
        }
        String claim = r.string("mailfleet.oauth2.username-claim");
        if (claim.isEmpty()) {
            throw r.invalid("mailfleet.oauth2.username-claim", claim, "a claim name such as email");
        }
        Duration skew = r.durationIn("mailfleet.oauth2.clock-skew", Duration.ZERO, Duration.ofMinutes(10),
                "a duration from 0s to 10m such as 60s");
        Duration ttl = r.durationIn("mailfleet.oauth2.jwks-cache-ttl", Duration.ofSeconds(1), Duration.ofDays(7),
                "a duration from 1s to 7d such as 15m");
        Duration refetch = r.durationIn("mailfleet.oauth2.jwks-refetch-interval", Duration.ZERO, Duration.ofHours(1),
                "a duration from 0s to 1h such as 30s");
        Duration timeout = r.durationIn("mailfleet.oauth2.http-timeout", Duration.ofMillis(100), Duration.ofMinutes(2),
                "a duration from 100ms to 2m such as 10s");
        String scope = r.string("mailfleet.oauth2.scope");
        OAuth2Settings s = new OAuth2Settings(enabled, introspection, clientId, clientSecret, jwks, issuer,
                r.string("mailfleet.oauth2.audience"), claim, skew, ttl, refetch, timeout, scope);
        if (enabled && introspection.isEmpty() && !s.localJwt()) {
            throw r.invalid("mailfleet.oauth2.enabled", "true", "true only with mailfleet.oauth2.introspection-url"
                    + " (OAUTH2_INTROSPECTION_URL), mailfleet.oauth2.jwks-url or mailfleet.oauth2.issuer set");
        }
        return s;
    }

    private static URI httpUri(ValueReader r, String key, String text) {
        try {
            URI u = new URI(text);
            if (("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme())) && u.getHost() != null) {
                return u;
            }
        } catch (java.net.URISyntaxException e) {
            // falls through to the error below
        }
        throw r.invalid(key, text, "an http:// or https:// URL");
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static OAuth2Settings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }
}
