package io.mailfleet.protocols.pop3.handler;

import io.mailfleet.protocols.sasl.SaslMechanisms;
import io.mailfleet.protocols.tls.StartTls;

import java.util.Optional;

/** CAPA, STLS, and the USER/PASS login (RFC 1939, 2449, 2595); APOP is refused. */
final class AuthorizationHandler {

    private final Pop3Context s;
    private final LoginHandler login;
    private String pendingUser;

    AuthorizationHandler(Pop3Context s, LoginHandler login) {
        this.s = s;
        this.login = login;
    }

    void capa() {
        boolean authorization = s.state() == Pop3State.AUTHORIZATION;
        StringBuilder sb = new StringBuilder("+OK Capability list follows\r\nTOP\r\n");
        if (authorization && s.plaintextAllowed()) {
            sb.append("USER\r\n");
        }
        sb.append("UIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\n");
        if (authorization) {
            String mechanisms = SaslMechanisms.of(s.services().authenticator()).offeredList(s.plaintextAllowed());
            if (!mechanisms.isEmpty()) {
                sb.append("SASL ").append(mechanisms).append("\r\n");
            }
            if (!s.tlsActive() && s.services().tls().enabled()) {
                sb.append("STLS\r\n");
            }
        }
        sb.append("IMPLEMENTATION Mailfleet\r\n.\r\n");
        s.send(sb.toString());
    }

    void stls() {
        Optional<String> refused = StartTls.refusal(s.tlsActive(), s.services().tls());
        if (refused.isPresent()) {
            s.bad("-ERR " + refused.get());
            return;
        }
        // A user name given in clear text does not carry over into the TLS session.
        pendingUser = null;
        s.startTls();
    }

    void user(String arg) {
        if (!s.plaintextAllowed()) {
            s.bad(Pop3SaslReplies.PLAINTEXT_DISALLOWED);
            return;
        }
        if (arg.isBlank()) {
            s.bad("-ERR USER needs a user name.");
            return;
        }
        pendingUser = arg.trim();
        s.reply("+OK");
    }

    void pass(String arg) {
        if (!s.plaintextAllowed()) {
            s.bad(Pop3SaslReplies.PLAINTEXT_DISALLOWED);
            return;
        }
        if (pendingUser == null) {
            s.bad("-ERR No user name given (USER first).");
            return;
        }
        String user = pendingUser;
        pendingUser = null;
        login.login(user, arg);
    }

    void apop() {
        s.bad("-ERR APOP is not supported.");
    }
}
