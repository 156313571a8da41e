package io.mailfleet.protocols.managesieve;

import io.mailfleet.protocols.auth.LoginPolicy;
import io.mailfleet.protocols.netty.NettyListener;
import io.mailfleet.protocols.netty.SessionFront;
import io.mailfleet.protocols.netty.CommandDeadline;
import io.mailfleet.protocols.netty.Goodbyes;
import io.mailfleet.protocols.netty.ListenerAdmission;
import io.mailfleet.protocols.netty.ListenerPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/** A ManageSieve listener (4190, STARTTLS) on Netty. */
public final class ManageSieveServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManageSieveServer.class);

    private final ManageSieveSettings settings;
    private final NettyListener listener;

    private ManageSieveServer(ManageSieveSettings settings, NettyListener listener) {
        this.settings = settings;
        this.listener = listener;
    }

    /**
     * Binds the listener and returns once it accepts connections.
     *
     * @throws IllegalStateException naming the address when the port cannot be bound
     */
    public static ManageSieveServer start(ManageSieveSettings settings, ManageSieveServices services) {
        return start(settings, services, LoginPolicy.DEFAULTS);
    }

    /** As above, with failed logins treated as {@code logins} says. */
    public static ManageSieveServer start(ManageSieveSettings settings, ManageSieveServices services,
                                          LoginPolicy logins) {
        if (!services.tls().enabled()) {
            LOG.warn("!! INSECURE !! ManageSieve port {} runs without TLS because SSL_TYPE is empty", settings.port());
        }
        ListenerAdmission admission = services.guard().admission()
                .forListener(ListenerPolicy.loginListener("managesieve", GOODBYES));
        SessionFront front = new SessionFront(services.guard(), admission, null);
        NettyListener listener = NettyListener.bind("ManageSieve", settings.bindAddress(), settings.port(), 1024, ch -> {
            front.install(ch);
            ch.pipeline().addLast("idle", new CommandDeadline(settings.idleTimeout()));
            ch.pipeline().addLast("managesieve", new ManageSieveSession(settings, services, logins));
        });
        ManageSieveServer server = new ManageSieveServer(settings, listener);
        LOG.debug("ManageSieve listening on {}:{}", settings.bindAddress(), server.port());
        return server;
    }

    /** RFC 5804 BYE with Dovecot's words; the login timeout says what the inactivity timeout says. */
    static final Goodbyes GOODBYES = new Goodbyes("BYE \"Too many connections\"",
            ip -> "BYE \"Too many connections from your address\"", "BYE \"Disconnected for inactivity.\"");

    /** The open connections (a closed one leaves the group by itself). */
    public io.netty.channel.group.ChannelGroup connections() {
        return listener.connections();
    }

    /** The bound port (useful when started with port 0). */
    public int port() {
        return listener.port();
    }

    public ManageSieveSettings settings() {
        return settings;
    }

    /** Stops accepting, closes open sessions and frees threads. */
    @Override
    public void close() {
        listener.close();
    }
}
