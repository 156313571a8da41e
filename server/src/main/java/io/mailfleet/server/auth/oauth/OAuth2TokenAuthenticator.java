package io.mailfleet.server.auth.oauth;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.mailfleet.core.ban.BanService;
import io.mailfleet.core.directory.Account;
import io.mailfleet.core.service.Authenticator.AuthResult;
import io.mailfleet.core.service.DirectoryService;
import io.mailfleet.core.service.TokenAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Logins with an OAuth2 bearer token: the token is checked locally as a JWT and/or by introspection,
 * the account it names must exist here (as in docker-mailserver, OAuth2 does not create accounts) and
 * must be the user the client named, if it named one. A refusal is logged with its reason and counted
 * in the ban list like a wrong password; a provider that cannot be reached fails the login temporarily.
 */
public final class OAuth2TokenAuthenticator implements TokenAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.auth");
    private static final AuthResult FAILED = AuthResult.failed("authentication failure");

    private final Optional<TokenValidator> jwt;
    private final Optional<TokenValidator> introspection;
    private final DirectoryService directory;
    private final BanService bans;
    private final String errorChallenge;

    OAuth2TokenAuthenticator(Optional<TokenValidator> jwt, Optional<TokenValidator> introspection,
                             DirectoryService directory, BanService bans, String scope, String issuer) {
        this.jwt = jwt;
        this.introspection = introspection;
        this.directory = directory;
        this.bans = bans;
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", "invalid_token");
        error.put("schemes", "bearer");
        if (!scope.isEmpty()) {
            error.put("scope", scope);
        }
        if (!issuer.isEmpty()) {
            error.put("openid-configuration", issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration");
        }
        this.errorChallenge = JSONObjectUtils.toJSONString(error);
    }

    @Override
    public String errorChallenge() {
        return errorChallenge;
    }

    @Override
    public CompletionStage<AuthResult> authenticateToken(String user, String token, String protocol, String remoteAddress) {
        TokenValidator validator = jwt.isPresent() && (introspection.isEmpty() || JwtTokenValidator.looksLikeJwt(token))
                ? jwt.get() : introspection.orElseThrow();
        CompletionStage<TokenVerdict> verdict;
        try {
            // an empty token is a bearer message the SASL layer could not read (too long, malformed)
            verdict = token.isEmpty() ? CompletableFuture.completedFuture(TokenVerdict.refused("malformed or over-long bearer message"))
                    : validator.validate(token);
        } catch (RuntimeException e) {
            verdict = CompletableFuture.completedFuture(TokenVerdict.refused("unreadable token: " + e.getMessage()));
        }
        return verdict.thenCompose(v -> {
            String failure = v.isValid() ? mismatch(user, v.account()) : v.refusal();
            if (failure == null) {
                String account = v.account().toLowerCase(Locale.ROOT);
                LOG.info("{} login ok user={} rip={} method=oauth2", protocol, account, remoteAddress);
                return CompletableFuture.completedFuture(AuthResult.ok(account));
            }
            LOG.warn("{} auth failed user={} rip={} method=oauth2 reason={}", protocol,
                    user.isEmpty() ? "-" : user, remoteAddress, failure);
            if (bans == null) {
                return CompletableFuture.completedFuture(FAILED);
            }
            return bans.reportFailure(remoteAddress, protocol, "oauth2: " + failure).handle((x, err) -> FAILED);
        });
    }

    /** Null when the token's account exists and is the user the client named (if any), else why not. */
    private String mismatch(String user, String tokenAccount) {
        String account = tokenAccount.trim().toLowerCase(Locale.ROOT);
        if (!user.isEmpty() && !user.trim().equalsIgnoreCase(account)) {
            return "token is for " + account + ", not " + user;
        }
        Optional<Account> known = directory.view().account(account);
        return known.isPresent() ? null : "unknown user " + account;
    }
}
