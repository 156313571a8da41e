package io.mailfleet.core.service;

import io.mailfleet.core.service.Authenticator.AuthResult;

import java.util.concurrent.CompletionStage;

/**
 * Checks an OAuth2 bearer token (SASL XOAUTH2 and OAUTHBEARER, RFC 7628) for any protocol.
 * Implementations validate off the caller's thread (the provider is asked over HTTP) and report
 * failures to the ban list like password failures.
 */
public interface TokenAuthenticator {

    /**
     * @param user          the user the client named (XOAUTH2 {@code user=}, OAUTHBEARER {@code a=});
     *                      empty when it named none; when given it must be the token's account
     * @param token         the bearer token
     * @param protocol      {@code smtp}, {@code imap}, {@code pop3} or {@code managesieve}
     * @param remoteAddress the client's IP address, for the ban list and the log
     */
    CompletionStage<AuthResult> authenticateToken(String user, String token, String protocol, String remoteAddress);

    /** The RFC 7628 JSON error a failed token is answered with before the final refusal. */
    String errorChallenge();
}
