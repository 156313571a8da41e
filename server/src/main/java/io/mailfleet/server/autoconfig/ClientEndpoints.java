package io.mailfleet.server.autoconfig;

import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.server.MailListeners;

import java.util.ArrayList;
import java.util.List;

/**
 * The mail endpoints a client should use, taken from the listeners this node started: implicit TLS
 * first (RFC 8314), then STARTTLS, plain text only when TLS is off.
 *
 * @param hostname the name clients connect to ({@code OVERRIDE_HOSTNAME} / the node's hostname)
 * @param all      every endpoint, preferred first within its protocol
 */
public record ClientEndpoints(String hostname, List<Endpoint> all) {

    /** Which mail protocol. */
    public enum Protocol { IMAP, POP3, SMTP }

    /** How the connection is secured. */
    public enum Security { SSL, STARTTLS, PLAIN }

    /** One listener a client may use. */
    public record Endpoint(Protocol protocol, int port, Security security) {
    }

    public ClientEndpoints {
        all = List.copyOf(all);
    }

    /** The endpoints of the running listeners; {@code tls} says whether TLS is configured. */
    public static ClientEndpoints of(String hostname, MailListeners listeners, boolean tls) {
        Security starttls = tls ? Security.STARTTLS : Security.PLAIN;
        List<Endpoint> out = new ArrayList<>();
        Integer imaps = listeners.imapPorts().get(true);
        Integer imap = listeners.imapPorts().get(false);
        if (imaps != null) {
            out.add(new Endpoint(Protocol.IMAP, imaps, Security.SSL));
        }
        if (imap != null) {
            out.add(new Endpoint(Protocol.IMAP, imap, starttls));
        }
        Integer pop3s = listeners.otherPorts().get("pop3s");
        Integer pop3 = listeners.otherPorts().get("pop3");
        if (pop3s != null) {
            out.add(new Endpoint(Protocol.POP3, pop3s, Security.SSL));
        }
        if (pop3 != null) {
            out.add(new Endpoint(Protocol.POP3, pop3, starttls));
        }
        Integer submissions = listeners.smtpPorts().get(SmtpMode.SUBMISSIONS);
        Integer submission = listeners.smtpPorts().get(SmtpMode.SUBMISSION);
        if (submissions != null) {
            out.add(new Endpoint(Protocol.SMTP, submissions, Security.SSL));
        }
        if (submission != null) {
            out.add(new Endpoint(Protocol.SMTP, submission, starttls));
        }
        return new ClientEndpoints(hostname, out);
    }

    /** The endpoints of one protocol, preferred first. */
    public List<Endpoint> of(Protocol protocol) {
        return all.stream().filter(e -> e.protocol() == protocol).toList();
    }
}
