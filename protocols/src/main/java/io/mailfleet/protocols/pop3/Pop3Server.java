package io.mailfleet.protocols.pop3;

import io.mailfleet.protocols.auth.LoginPolicy;
import io.mailfleet.protocols.netty.NettyListener;
import io.mailfleet.protocols.netty.SessionFront;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.mailfleet.protocols.netty.CommandDeadline;
import io.mailfleet.protocols.netty.Goodbyes;
import io.mailfleet.protocols.netty.ListenerAdmission;
import io.mailfleet.protocols.netty.ListenerPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/** A POP3 listener (110 with STLS or 995 with implicit TLS) on Netty. */
public final class Pop3Server implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Pop3Server.class);

    private final Pop3Settings settings;
    private final NettyListener listener;

    private Pop3Server(Pop3Settings settings, NettyListener listener) {
        this.settings = settings;
        this.listener = listener;
    }

    /**
     * Binds the listener and returns once it accepts connections.
     *
     * @throws IllegalStateException naming the address when the port cannot be bound
     */
    public static Pop3Server start(Pop3Settings settings, Pop3Services services) {
        return start(settings, services, LoginPolicy.DEFAULTS);
    }

    /** As above, with failed logins treated as {@code logins} says. */
    public static Pop3Server start(Pop3Settings settings, Pop3Services services, LoginPolicy logins) {
        boolean implicitTls = settings.implicitTls() && services.tls().enabled();
        if (settings.implicitTls() && !implicitTls) {
            LOG.warn("!! INSECURE !! POP3S port {} runs without TLS because SSL_TYPE is empty", settings.port());
        }
        ListenerAdmission admission = services.guard().admission()
                .forListener(ListenerPolicy.loginListener(implicitTls ? "pop3s" : "pop3", GOODBYES));
        SessionFront front = new SessionFront(services.guard(), admission, implicitTls ? services.tls() : null);
        NettyListener listener = NettyListener.bind("POP3", settings.bindAddress(), settings.port(), 1024, ch -> {
            front.install(ch);
            ch.pipeline().addLast("idle", new CommandDeadline(settings.idleTimeout()));
            ch.pipeline().addLast("chunked", new ChunkedWriteHandler());
            ch.pipeline().addLast("pop3", new Pop3Session(settings, services, implicitTls, logins));
        });
        Pop3Server server = new Pop3Server(settings, listener);
        LOG.debug("POP3{} listening on {}:{}", implicitTls ? "S" : "", settings.bindAddress(), server.port());
        return server;
    }

    /** RFC 3206's SYS/TEMP code for a passing shortage; the login timeout says what the inactivity timeout says. */
    static final Goodbyes GOODBYES = new Goodbyes("-ERR [SYS/TEMP] Too many connections",
            ip -> "-ERR [SYS/TEMP] Too many connections from your address", "-ERR Disconnected for inactivity.");

    /** The open connections (a closed one leaves the group by itself). */
    public io.netty.channel.group.ChannelGroup connections() {
        return listener.connections();
    }

    /** The bound port (useful when started with port 0). */
    public int port() {
        return listener.port();
    }

    public Pop3Settings settings() {
        return settings;
    }

    /** Stops accepting, closes open sessions and frees threads. */
    @Override
    public void close() {
        listener.close();
    }
}
