package io.mailfleet.protocols.managesieve.handler;

import io.mailfleet.core.service.Authenticator.AuthResult;
import io.mailfleet.protocols.auth.LoginAttempts;
import io.mailfleet.protocols.auth.SaslVerification;
import io.mailfleet.protocols.managesieve.Tokens;
import io.mailfleet.protocols.managesieve.Tokens.Token;
import io.mailfleet.protocols.sasl.SaslAuthentication;
import io.mailfleet.protocols.sasl.SaslCredentials;
import io.mailfleet.protocols.sasl.SaslMechanisms;
import io.mailfleet.protocols.sasl.SaslRefusal;
import io.mailfleet.protocols.sasl.SaslStep;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * AUTHENTICATE over the shared SASL framework (string continuations and NO), the login under the
 * login policy, and UNAUTHENTICATE.
 */
final class AuthenticateHandler {

    private final SieveContext s;
    private final LoginAttempts logins;

    AuthenticateHandler(SieveContext s, LoginAttempts logins) {
        this.s = s;
        this.logins = logins;
    }

    void authenticate(Args a) {
        String mech = a.string("the SASL mechanism");
        Optional<String> initial = a.optionalString("the initial response");
        a.end();
        SaslAuthentication sasl = SaslMechanisms.of(s.services().authenticator()).start(mech, s.plaintextAllowed());
        step(sasl, sasl.begin(initial.orElse(null)));
    }

    void unauthenticate(Args a) {
        a.end();
        s.loggedOut();
        s.ok("Unauthenticate completed.");
    }

    /** Maps one step of the shared SASL exchange to ManageSieve. */
    private void step(SaslAuthentication sasl, SaslStep step) {
        if (step instanceof SaslStep.Challenge c) {
            s.reply(Tokens.string(c.base64()));
            s.continueWith(t -> response(t).ifPresent(line -> step(sasl, sasl.respond(line))));
        } else if (step instanceof SaslStep.Authenticate a && a.credentials() instanceof SaslCredentials.Password p) {
            login(p.authenticationId(), p.password());
        } else if (step instanceof SaslStep.Authenticate a) {
            // a refused token goes back into the exchange for the RFC 7628 error challenge, then NO
            login(() -> SaslVerification.check(s.services().authenticator(), a.credentials(), "managesieve", s.remoteIp()),
                    () -> step(sasl, sasl.tokenRefused(SaslVerification.tokenError(s.services().authenticator()))));
        } else {
            s.bad(SieveSaslReplies.refusal(step instanceof SaslStep.Refused r ? r.reason() : SaslRefusal.UNSUPPORTED_MECHANISM));
        }
    }

    /** The client's SASL response: one string ({@code "*"} aborts, in the exchange). */
    private Optional<String> response(List<Token> tokens) {
        if (tokens.size() != 1 || tokens.get(0).atom()) {
            s.bad("Expected the SASL response as one string.");
            return Optional.empty();
        }
        return Optional.of(tokens.get(0).value());
    }

    private void login(String user, String password) {
        login(() -> s.services().authenticator().authenticate(user, password, "managesieve", s.remoteIp()),
                () -> s.bad("Authentication failed."));
    }

    /** Runs {@code check} under the login policy; {@code refused} answers a failure that does not end the session. */
    private void login(Supplier<CompletionStage<AuthResult>> check, Runnable refused) {
        s.async(logins.verify(check), (AuthResult r) -> logins.answer(r, account -> {
            s.loggedIn(account);
            s.ok("Logged in.");
        }, () -> s.no("TRYLATER", "Temporary authentication failure."), refused, () -> {
            s.hangUp();
            logins.hangUp("NO \"Authentication failed.\"\r\nBYE \"Too many invalid authentication attempts.\"\r\n");
        }));
    }
}
