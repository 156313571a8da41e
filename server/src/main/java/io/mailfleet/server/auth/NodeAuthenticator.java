package io.mailfleet.server.auth;

import io.mailfleet.core.service.Authenticator;
import io.mailfleet.core.service.TokenAuthenticator;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** What a node's listeners authenticate with: passwords (accounts and master users) and, when on, OAuth2 tokens. */
public final class NodeAuthenticator implements Authenticator {

    private final Authenticator passwords;
    private final Optional<TokenAuthenticator> tokens;

    public NodeAuthenticator(Authenticator passwords, Optional<TokenAuthenticator> tokens) {
        this.passwords = passwords;
        this.tokens = tokens;
    }

    @Override
    public CompletionStage<AuthResult> authenticate(String login, String password, String protocol, String remoteAddress) {
        return passwords.authenticate(login, password, protocol, remoteAddress);
    }

    @Override
    public Optional<TokenAuthenticator> tokens() {
        return tokens;
    }
}
