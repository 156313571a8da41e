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

    /**
     * The outcome: the canonical account address on success. {@code cacheable} is false for a login a
     * session may not remember beyond itself (an app password, which can be revoked without the
     * account's password changing). {@code unavailable}: the account source could not answer (LDAP
     * down or timing out), so the login is neither right nor wrong; protocols answer their temporary
     * failure and count no failed login.
     */
    record AuthResult(boolean success, String account, String reason, boolean cacheable, boolean unavailable) {

        public AuthResult(boolean success, String account, String reason) {
            this(success, account, reason, success, false);
        }

        public AuthResult(boolean success, String account, String reason, boolean cacheable) {
            this(success, account, reason, cacheable, false);
        }

        public static AuthResult ok(String account) {
            return new AuthResult(true, account, null);
        }

        /** A login with an app password: good for this session, never cached. */
        public static AuthResult okUncached(String account) {
            return new AuthResult(true, account, null, false);
        }

        public static AuthResult failed(String reason) {
            return new AuthResult(false, null, reason);
        }

        /** The source of accounts could not answer; {@code reason} is for the log. */
        public static AuthResult unavailable(String reason) {
            return new AuthResult(false, null, reason, false, true);
        }
    }
}
