package io.mailfleet.server.auth.oauth;

import java.util.concurrent.CompletionStage;

/** One way of checking a bearer token with the provider: locally against its JWKS, or by introspection. */
interface TokenValidator {

    /**
     * The verdict on {@code token}; completes off the Netty event loops. A provider that cannot be
     * reached completes exceptionally (the login fails temporarily, it is not a wrong token).
     */
    CompletionStage<TokenVerdict> validate(String token);
}
