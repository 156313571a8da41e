package io.mailfleet.protocols.smtp.handler;

import io.mailfleet.protocols.sasl.SaslMechanisms;
import io.mailfleet.protocols.sasl.TlsOnlyPolicy;
import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.command.HelloRequest;
import io.mailfleet.protocols.smtp.command.SmtpCommandParser;

import java.util.ArrayList;
import java.util.List;

/** HELO and EHLO: checks the name, resets the session and lists the extensions this listener offers. */
final class HelloHandler {

    private final SmtpContext s;

    HelloHandler(SmtpContext s) {
        this.s = s;
    }

    void hello(String arg, boolean extended) {
        HelloRequest req = SmtpCommandParser.hello(arg, extended).requestOr(r -> s.reply(r.reply()));
        if (req == null) {
            return;
        }
        if (!SmtpCommandParser.validHeloName(req.name())) {
            s.abuse("invalid HELO name");
            s.reply(new SmtpReply(501, "5.5.2", "<" + req.name() + ">: Helo command rejected: Invalid name"));
            return;
        }
        s.resetTransaction("EHLO");
        s.greeted(req.name(), extended);
        if (!extended) {
            s.reply(new SmtpReply(250, "", s.settings().hostname()));
            return;
        }
        List<String> lines = extensions();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(250).append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i)).append("\r\n");
        }
        s.sendRaw(sb);
    }

    private List<String> extensions() {
        boolean tlsAvailable = SessionRules.tlsAvailable(s);
        List<String> lines = new ArrayList<>();
        lines.add(s.settings().hostname());
        lines.add("PIPELINING");
        lines.add("SIZE " + s.settings().maxMessageSize());
        if (tlsAvailable && !s.client().tls()) {
            lines.add("STARTTLS");
        }
        String mechanisms = SaslMechanisms.of(s.services().authenticator()).offeredList(TlsOnlyPolicy.secretsAllowed(s.client().tls(), tlsAvailable));
        if (SessionRules.authOffered(s) && !mechanisms.isEmpty()) {
            lines.add("AUTH " + mechanisms);
            lines.add("AUTH=" + mechanisms);
        }
        lines.add("ENHANCEDSTATUSCODES");
        lines.add("8BITMIME");
        if (s.settings().mode().isSubmission()) {
            lines.add("DSN");
        }
        if (s.settings().smtpUtf8()) {
            lines.add("SMTPUTF8");
        }
        lines.add("CHUNKING");
        if (s.client().tls()) {
            // RFC 8689 §4.1: only a TLS session may carry a REQUIRETLS message.
            lines.add("REQUIRETLS");
        }
        return lines;
    }
}
