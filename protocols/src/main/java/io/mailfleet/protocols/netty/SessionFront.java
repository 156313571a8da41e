package io.mailfleet.protocols.netty;

import io.mailfleet.protocols.tls.TlsContextProvider;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;

/**
 * The handlers every listener puts in front of its protocol session, in the order they must run:
 * the accept guard (PROXY protocol, ban filter), the listener's connection admission, then TLS when
 * the port speaks it from the first byte. One place, so no listener can forget or reorder a guard.
 *
 * @param implicitTls the TLS contexts of an implicit-TLS port (465, 993, 995); null on a port
 *                    that starts in clear text (STARTTLS, if any, is the session's business)
 */
public record SessionFront(AcceptGuard guard, ListenerAdmission admission, TlsContextProvider implicitTls) {

    /** Adds the front handlers to a new connection's pipeline, before any of the session's own. */
    public void install(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        guard.install(p);
        admission.install(p);
        if (implicitTls != null) {
            p.addLast("tls", implicitTls.newHandler(ch.alloc(), false));
        }
    }
}
