package io.mailfleet.protocols.auth;

import io.mailfleet.core.service.Authenticator;
import io.mailfleet.core.service.Authenticator.AuthResult;
import io.mailfleet.protocols.sasl.SaslCredentials;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The one place a completed SASL exchange is checked, so every protocol treats passwords and bearer
 * tokens alike: passwords go to the {@link Authenticator}, tokens to its token authenticator.
 */
public final class SaslVerification {

    private SaslVerification() {
    }

    /** The check of {@code credentials}; run it inside {@link LoginAttempts#verify} like a password check. */
    public static CompletionStage<AuthResult> check(Authenticator authenticator, SaslCredentials credentials,
                                                    String protocol, String remoteIp) {
        if (credentials instanceof SaslCredentials.Password p) {
            return authenticator.authenticate(p.authenticationId(), p.password(), protocol, remoteIp);
        }
        SaslCredentials.Token t = (SaslCredentials.Token) credentials;
        return authenticator.tokens()
                .map(tokens -> tokens.authenticateToken(t.authorizationId(), t.token(), protocol, remoteIp))
                .orElseGet(() -> CompletableFuture.completedFuture(AuthResult.failed("token logins are off")));
    }

    /** The login the client named, for log lines (never the secret). */
    public static String login(SaslCredentials credentials) {
        return credentials instanceof SaslCredentials.Password p ? p.authenticationId() : credentials.authorizationId();
    }

    /** The RFC 7628 error challenge for a refused token. */
    public static String tokenError(Authenticator authenticator) {
        return authenticator.tokens().map(t -> t.errorChallenge()).orElse("{\"status\":\"invalid_token\"}");
    }
}
