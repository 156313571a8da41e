package io.mailfleet.protocols.managesieve.handler;

import io.mailfleet.core.sieve.SieveCompiler;
import io.mailfleet.protocols.managesieve.Tokens;
import io.mailfleet.protocols.sasl.SaslMechanisms;

/** The capability lines (RFC 5804 §1.7) as the session's state shows them: at greeting, CAPABILITY and after STARTTLS. */
final class Capabilities {

    private final SieveContext s;

    Capabilities(SieveContext s) {
        this.s = s;
    }

    /** The CRLF-terminated capability lines. */
    String lines() {
        String account = s.account();
        StringBuilder sb = new StringBuilder();
        sb.append("\"IMPLEMENTATION\" \"Mailfleet\"\r\n");
        sb.append("\"SASL\" \"").append(account == null
                        ? SaslMechanisms.of(s.services().authenticator()).offeredList(s.plaintextAllowed()) : "")
                .append("\"\r\n");
        sb.append("\"SIEVE\" \"").append(String.join(" ", SieveCompiler.supportedExtensions())).append("\"\r\n");
        if (account == null && !s.tlsActive() && s.services().tls().enabled()) {
            sb.append("\"STARTTLS\"\r\n");
        }
        sb.append("\"MAXREDIRECTS\" \"").append(s.settings().limits().maxRedirects()).append("\"\r\n");
        if (account != null) {
            sb.append("\"OWNER\" ").append(Tokens.string(account)).append("\r\n");
        }
        sb.append("\"UNAUTHENTICATE\"\r\n");
        sb.append("\"VERSION\" \"1.0\"\r\n");
        return sb.toString();
    }
}
