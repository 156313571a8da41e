package io.mailfleet.protocols.imap.handler;

import io.mailfleet.protocols.imap.ImapServices;
import io.mailfleet.protocols.imap.ImapSettings;
import io.mailfleet.protocols.netty.RemoteAddress;
import io.mailfleet.protocols.sasl.SaslMechanisms;
import io.mailfleet.protocols.sasl.TlsOnlyPolicy;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;

/** What the server offers a connection in its state: the CAPABILITY list and whether passwords may travel. */
public final class Capabilities {

    private Capabilities() {
    }

    /** The capability list for the greeting, CAPABILITY and the LOGIN reply. */
    public static String of(ImapContext ctx) {
        SessionState session = ctx.session();
        ImapSettings settings = ctx.settings();
        StringBuilder sb = new StringBuilder("IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE");
        if (session.state == ImapState.NOT_AUTHENTICATED) {
            if (!session.tlsActive && ctx.services().tls().enabled()) {
                sb.append(" STARTTLS");
            }
            boolean clear = plaintextAllowed(ctx);
            for (String m : SaslMechanisms.of(ctx.services().authenticator()).offered(clear)) {
                sb.append(" AUTH=").append(m);
            }
            if (!clear) {
                sb.append(" LOGINDISABLED");
            }
        } else {
            sb.append(" NAMESPACE UIDPLUS MOVE UNSELECT CHILDREN SPECIAL-USE QUOTA QUOTA=RES-STORAGE")
                    .append(" APPENDLIMIT=").append(settings.appendLimit())
                    .append(" CONDSTORE QRESYNC ESEARCH SEARCHRES SORT THREAD=ORDEREDSUBJECT THREAD=REFERENCES")
                    .append(" LIST-EXTENDED LIST-STATUS CREATE-SPECIAL-USE STATUS=SIZE BINARY MULTIAPPEND");
            if (settings.utf8Accept()) {
                sb.append(" UTF8=ACCEPT");
            }
            if (!session.compressed) {
                sb.append(" COMPRESS=DEFLATE");
            }
        }
        return sb.toString();
    }

    /** True when LOGIN and password mechanisms are allowed on this connection. */
    static boolean plaintextAllowed(ImapContext ctx) {
        ImapServices services = ctx.services();
        // With no certificate at all (SSL_TYPE empty) there is nothing to upgrade to: like the SMTP
        // submission port, logins are accepted in clear and the server logs that TLS is off.
        if (TlsOnlyPolicy.secretsAllowed(ctx.session().tlsActive, services.tls().enabled())) {
            return true;
        }
        if (ctx.settings().plaintextOnLoopback()) {
            Channel ch = ctx.netty().channel();
            InetSocketAddress r = RemoteAddress.of(ch);
            return r != null && r.getAddress() != null && r.getAddress().isLoopbackAddress();
        }
        return false;
    }
}
