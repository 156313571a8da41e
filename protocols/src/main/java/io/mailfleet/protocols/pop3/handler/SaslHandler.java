package io.mailfleet.protocols.pop3.handler;

import io.mailfleet.protocols.auth.SaslVerification;
import io.mailfleet.protocols.sasl.SaslAuthentication;
import io.mailfleet.protocols.sasl.SaslCredentials;
import io.mailfleet.protocols.sasl.SaslMechanisms;
import io.mailfleet.protocols.sasl.SaslRefusal;
import io.mailfleet.protocols.sasl.SaslStep;

/** AUTH (RFC 5034): the mechanism list, and the shared SASL exchange mapped to {@code + } continuations and -ERR. */
final class SaslHandler {

    private final Pop3Context s;
    private final LoginHandler login;

    SaslHandler(Pop3Context s, LoginHandler login) {
        this.s = s;
        this.login = login;
    }

    void auth(String arg) {
        SaslMechanisms mechanisms = SaslMechanisms.of(s.services().authenticator());
        String[] f = arg.trim().isEmpty() ? new String[0] : arg.trim().split(" +");
        if (f.length == 0) {
            s.send("+OK\r\n" + String.join("\r\n", mechanisms.names()) + "\r\n.\r\n");
            return;
        }
        if (mechanisms.offered(s.plaintextAllowed()).isEmpty()) {
            s.bad(Pop3SaslReplies.PLAINTEXT_DISALLOWED);
            return;
        }
        if (f.length > 2) {
            s.bad("-ERR Too many arguments for AUTH.");
            return;
        }
        SaslAuthentication sasl = mechanisms.start(f[0], s.plaintextAllowed());
        step(sasl, sasl.begin(f.length == 2 ? f[1] : null));
    }

    /** Maps one step of the shared SASL exchange to POP3. */
    private void step(SaslAuthentication sasl, SaslStep step) {
        if (step instanceof SaslStep.Challenge c) {
            s.reply("+ " + c.base64());
            s.continueWith(line -> step(sasl, sasl.respond(line)));
        } else if (step instanceof SaslStep.Authenticate a && a.credentials() instanceof SaslCredentials.Password p) {
            login.login(p.authenticationId(), p.password());
        } else if (step instanceof SaslStep.Authenticate a) {
            // a refused token goes back into the exchange for the RFC 7628 error challenge, then -ERR
            login.login(() -> SaslVerification.check(s.services().authenticator(), a.credentials(), "pop3", s.remoteIp()), () -> {
                step(sasl, sasl.tokenRefused(SaslVerification.tokenError(s.services().authenticator())));
                s.resume();
            });
        } else {
            s.bad(Pop3SaslReplies.refusal(step instanceof SaslStep.Refused r ? r.reason() : SaslRefusal.UNSUPPORTED_MECHANISM));
        }
    }
}
