package io.mailfleet.server.auth.oauth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Checks a JWT access token locally: signed (never {@code alg=none}, never an HMAC that a public key
 * could be abused as the secret of) by a key of the provider's JWKS, not expired and already valid
 * within the clock skew, from the configured issuer for the configured audience, naming the account
 * in the username claim. The signature check runs on the authentication executor.
 */
final class JwtTokenValidator implements TokenValidator {

    /** Asymmetric algorithms only: the key comes from a public JWKS. */
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512, JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    private final JwksKeys keys;
    private final String issuer;
    private final String audience;
    private final String usernameClaim;
    private final Duration clockSkew;
    private final Executor executor;

    JwtTokenValidator(JwksKeys keys, String issuer, String audience, String usernameClaim, Duration clockSkew,
                      Executor executor) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.usernameClaim = usernameClaim;
        this.clockSkew = clockSkew;
        this.executor = executor;
    }

    /** Whether {@code token} has a JWT's shape (three base64url parts), so an opaque token can go to introspection. */
    static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    @Override
    public CompletionStage<TokenVerdict> validate(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (java.text.ParseException e) {
            return CompletableFuture.completedFuture(TokenVerdict.refused("not a JWT"));
        }
        if (!(jwt instanceof SignedJWT signed)) {
            return CompletableFuture.completedFuture(TokenVerdict.refused("unsigned or encrypted JWT ("
                    + jwt.getHeader().getAlgorithm() + ")"));
        }
        JWSAlgorithm alg = signed.getHeader().getAlgorithm();
        if (!ALGORITHMS.contains(alg)) {
            return CompletableFuture.completedFuture(TokenVerdict.refused("signature algorithm " + alg + " not accepted"));
        }
        return keys.forKey(signed.getHeader().getKeyID())
                .thenApplyAsync(set -> check(signed, set), executor);
    }

    private TokenVerdict check(SignedJWT jwt, JWKSet set) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        // RFC 9068 access tokens are typed at+jwt; plain JWT and untyped tokens are what most providers issue.
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, new ImmutableJWKSet<>(set)));
        Set<String> required = new HashSet<>(Set.of("exp", usernameClaim));
        JWTClaimsSet exact = issuer.isEmpty() ? null : new JWTClaimsSet.Builder().issuer(issuer).build();
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                audience.isEmpty() ? null : Set.of(audience), exact, required, null);
        claims.setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, clockSkew.toSeconds()));
        processor.setJWTClaimsSetVerifier(claims);
        try {
            JWTClaimsSet verified = processor.process(jwt, null);
            Object account = verified.getClaim(usernameClaim);
            if (!(account instanceof String s) || s.isBlank()) {
                return TokenVerdict.refused("claim " + usernameClaim + " is not a text");
            }
            return TokenVerdict.valid(s);
        } catch (BadJOSEException | com.nimbusds.jose.JOSEException e) {
            return TokenVerdict.refused(e.getMessage());
        } catch (RuntimeException e) {
            // claims of unexpected types in a validly shaped token: a bad token, not a server error
            return TokenVerdict.refused("unreadable claims: " + e.getMessage());
        }
    }
}
