package io.mailfleet.server.auth.oauth;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Checks a token by RFC 7662 introspection, as docker-mailserver's Dovecot does: POST the token with
 * the client credentials; the provider says whether it is {@code active} and names the account in the
 * username claim. {@code exp}, {@code iss} and {@code aud}, when the answer has them, are checked too,
 * so a provider that answers for expired tokens or tokens of another client is not trusted blindly.
 */
final class IntrospectionTokenValidator implements TokenValidator {

    private final ProviderHttp http;
    private final URI endpoint;
    private final String clientId;
    private final String clientSecret;
    private final String issuer;
    private final String audience;
    private final String usernameClaim;
    private final Duration clockSkew;
    private final Clock clock;

    IntrospectionTokenValidator(ProviderHttp http, URI endpoint, String clientId, String clientSecret, String issuer,
                                String audience, String usernameClaim, Duration clockSkew, Clock clock) {
        this.http = http;
        this.endpoint = endpoint;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.issuer = issuer;
        this.audience = audience;
        this.usernameClaim = usernameClaim;
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    @Override
    public CompletionStage<TokenVerdict> validate(String token) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", token);
        form.put("token_type_hint", "access_token");
        return http.postForm(endpoint, clientId, clientSecret, form).thenApply(this::judge);
    }

    private TokenVerdict judge(Map<String, Object> answer) {
        if (!Boolean.TRUE.equals(answer.get("active"))) {
            return TokenVerdict.refused("introspection: token not active");
        }
        if (answer.get("exp") instanceof Number exp
                && clock.instant().getEpochSecond() > exp.longValue() + clockSkew.toSeconds()) {
            return TokenVerdict.refused("introspection: token expired");
        }
        if (!issuer.isEmpty() && answer.containsKey("iss") && !issuer.equals(answer.get("iss"))) {
            return TokenVerdict.refused("introspection: issuer " + answer.get("iss"));
        }
        if (!audience.isEmpty() && !audienceMatches(answer.get("aud"))) {
            return TokenVerdict.refused("introspection: not for audience " + audience);
        }
        Object account = answer.get(usernameClaim);
        if (!(account instanceof String s) || s.isBlank()) {
            return TokenVerdict.refused("introspection: no " + usernameClaim + " in the answer");
        }
        return TokenVerdict.valid(s);
    }

    private boolean audienceMatches(Object aud) {
        if (aud instanceof String s) {
            return s.equals(audience);
        }
        return aud instanceof Collection<?> c && c.contains(audience);
    }
}
