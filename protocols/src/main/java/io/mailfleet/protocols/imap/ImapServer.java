package io.mailfleet.protocols.imap;

import io.mailfleet.protocols.auth.LoginPolicy;
import io.mailfleet.protocols.flow.BlobUploads;
import io.mailfleet.protocols.netty.NettyListener;
import io.mailfleet.protocols.netty.SessionFront;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.mailfleet.protocols.netty.CommandDeadline;
import io.mailfleet.protocols.netty.Goodbyes;
import io.mailfleet.protocols.netty.ListenerAdmission;
import io.mailfleet.protocols.netty.ListenerPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/** An IMAP listener (143 with STARTTLS or 993 with implicit TLS) on Netty. */
public final class ImapServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImapServer.class);

    private final ImapSettings settings;
    private final NettyListener listener;
    private final BlobUploads uploads;

    private ImapServer(ImapSettings settings, NettyListener listener, BlobUploads uploads) {
        this.settings = settings;
        this.listener = listener;
        this.uploads = uploads;
    }

    /**
     * Binds the listener and returns once it accepts connections.
     *
     * @throws IllegalStateException naming the address when the port cannot be bound
     */
    public static ImapServer start(ImapSettings settings, ImapServices services) {
        return start(settings, services, LoginPolicy.DEFAULTS);
    }

    /** As above, with failed logins treated as {@code logins} says. */
    public static ImapServer start(ImapSettings settings, ImapServices services, LoginPolicy logins) {
        boolean implicitTls = settings.implicitTls() && services.tls().enabled();
        if (settings.implicitTls() && !implicitTls) {
            LOG.warn("!! INSECURE !! IMAPS port {} runs without TLS because SSL_TYPE is empty", settings.port());
        }
        // APPEND bytes reach the store on these threads, never on an event loop (started on first use)
        BlobUploads uploads = new BlobUploads(implicitTls ? "imaps-blob-write" : "imap-blob-write",
                Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), BlobUploads.DEFAULT_WINDOW);
        AuthCache authCache = new AuthCache(settings.authCacheTtl(), account -> services.directory().view()
                .account(account).map(io.mailfleet.core.directory.Account::passwordHash).orElse(null));
        ListenerAdmission admission = services.guard().admission()
                .forListener(ListenerPolicy.loginListener(implicitTls ? "imaps" : "imap", GOODBYES));
        SessionFront front = new SessionFront(services.guard(), admission, implicitTls ? services.tls() : null);
        NettyListener listener = NettyListener.bind("IMAP", settings.bindAddress(), settings.port(), 1024, ch -> {
            front.install(ch);
            ch.pipeline().addLast("chunked", new ChunkedWriteHandler());
            // After "chunked": COMPRESS puts its inflater before "chunked", so the deadline counts
            // inflated lines. Also the IDLE command's limit: RFC 3501's 30 minutes by default.
            ch.pipeline().addLast("idle", new CommandDeadline(settings.idleTimeout()));
            ch.pipeline().addLast("imap", new ImapSession(settings, services, implicitTls, authCache, logins,
                    uploads));
        });
        ImapServer server = new ImapServer(settings, listener, uploads);
        LOG.debug("IMAP{} listening on {}:{}", implicitTls ? "S" : "", settings.bindAddress(), server.port());
        return server;
    }

    /** Dovecot's words; the login timeout says what the inactivity timeout says. */
    static final Goodbyes GOODBYES = new Goodbyes("* BYE Too many connections",
            ip -> "* BYE Too many connections from your address", "* BYE Disconnected for inactivity.");

    /** The open connections (a closed one leaves the group by itself). */
    public io.netty.channel.group.ChannelGroup connections() {
        return listener.connections();
    }

    /** The bound port (useful when started with port 0). */
    public int port() {
        return listener.port();
    }

    public ImapSettings settings() {
        return settings;
    }

    /** Stops accepting, closes open sessions and frees threads. */
    @Override
    public void close() {
        listener.close();
        uploads.close();
    }
}
