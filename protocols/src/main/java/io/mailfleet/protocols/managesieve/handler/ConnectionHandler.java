package io.mailfleet.protocols.managesieve.handler;

import io.mailfleet.protocols.managesieve.Tokens;
import io.mailfleet.protocols.tls.StartTls;

import java.util.Optional;

/** The commands of any state: CAPABILITY, NOOP, LOGOUT, and STARTTLS before login. */
final class ConnectionHandler {

    private final SieveContext s;
    private final Capabilities capabilities;

    ConnectionHandler(SieveContext s, Capabilities capabilities) {
        this.s = s;
        this.capabilities = capabilities;
    }

    void capability() {
        s.reply(capabilities.lines() + "OK \"Capability completed.\"");
    }

    void logout() {
        s.closeWith("OK \"Logout completed.\"\r\n");
    }

    void noop(Args a) {
        Optional<String> tag = a.optionalString("tag");
        a.end();
        s.reply("OK " + tag.map(t -> "(TAG " + Tokens.string(t) + ") ").orElse("") + "\"Done\"");
    }

    void startTls() {
        Optional<String> refused = StartTls.refusal(s.tlsActive(), s.services().tls());
        if (refused.isPresent()) {
            s.bad(refused.get());
            return;
        }
        // RFC 5804 §2.2: the capabilities again, now over TLS.
        s.startTls(() -> s.reply(capabilities.lines() + "OK \"TLS negotiation successful.\""));
    }
}
