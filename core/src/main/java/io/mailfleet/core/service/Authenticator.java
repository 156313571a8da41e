package io.mailfleet.core.service;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Checks a login and password for any protocol. Implementations verify off the caller's thread
 * (password hashing is slow by design) and report failures to the ban list.
 */
public interface Authenticator {

    /**
     * @param login         the login as the client sent it (a full address, any case)
     * @param password      the password
     * @param protocol      {@code smtp}, {@code imap}, {@code pop3} or {@code managesieve}
     * @param remoteAddress the client's IP address, for the ban list and the log
     */
    CompletionStage<AuthResult> authenticate(String login, String password, String protocol, String remoteAddress);

    /** The bearer-token check when OAuth2 is on (then XOAUTH2 and OAUTHBEARER are offered), else empty. */
    default Optional<TokenAuthenticator> tokens() {
        return Optional.empty();
    }

    /** The outcome: the canonical account address on success. */
    record AuthResult(boolean success, String account, String reason) {
        public static AuthResult ok(String account) {
            return new AuthResult(true, account, null);
        }

        public static AuthResult failed(String reason) {
            return new AuthResult(false, null, reason);
        }
    }
}
