package io.mailfleet.server.auth.oauth;

import io.mailfleet.core.ban.BanService;
import io.mailfleet.core.service.DirectoryService;
import io.mailfleet.core.service.TokenAuthenticator;
import io.mailfleet.server.config.OAuth2Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** Builds the node's token authenticator from {@code mailfleet.oauth2}, or none when OAuth2 is off. */
public final class OAuth2Wiring {

    private static final Logger LOG = LoggerFactory.getLogger(OAuth2Wiring.class);

    private OAuth2Wiring() {
    }

    /** The token authenticator; its HTTP calls complete on {@code executor} (the authentication pool). */
    public static Optional<TokenAuthenticator> tokens(OAuth2Settings s, DirectoryService directory, Executor executor,
                                                      BanService bans) {
        if (!s.enabled()) {
            return Optional.empty();
        }
        ProviderHttp http = new ProviderHttp(executor, s.httpTimeout());
        Optional<TokenValidator> jwt = Optional.empty();
        if (s.localJwt()) {
            Supplier<CompletableFuture<URI>> location = s.jwksUrl().isPresent()
                    ? () -> CompletableFuture.completedFuture(s.jwksUrl().get())
                    : JwksKeys.discovered(http, s.issuer());
            JwksKeys keys = new JwksKeys(http, location, s.jwksCacheTtl(), s.jwksRefetchInterval(), Clock.systemUTC());
            jwt = Optional.of(new JwtTokenValidator(keys, s.issuer(), s.audience(), s.usernameClaim(), s.clockSkew(),
                    executor));
        }
        Optional<TokenValidator> introspection = s.introspectionUrl().map(u -> new IntrospectionTokenValidator(http, u,
                s.clientId(), s.clientSecret(), s.issuer(), s.audience(), s.usernameClaim(), s.clockSkew(),
                Clock.systemUTC()));
        LOG.info("OAuth2 logins (XOAUTH2, OAUTHBEARER) on: {}{}, account from claim {}",
                jwt.isPresent() ? "JWTs checked against " + s.jwksUrl().map(URI::toString).orElse("the JWKS of " + s.issuer()) : "",
                introspection.isPresent() ? (jwt.isPresent() ? ", " : "") + "introspection at "
                        + s.introspectionUrl().get() : "",
                s.usernameClaim());
        return Optional.of(new OAuth2TokenAuthenticator(jwt, introspection, directory, bans, s.scope(), s.issuer()));
    }
}
