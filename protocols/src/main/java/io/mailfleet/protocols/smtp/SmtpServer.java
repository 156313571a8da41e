package io.mailfleet.protocols.smtp;

import io.mailfleet.protocols.auth.LoginPolicy;
import io.mailfleet.protocols.flow.BlobUploads;
import io.mailfleet.protocols.netty.NettyListener;
import io.mailfleet.protocols.netty.SessionFront;
import io.mailfleet.core.directory.ResolverOptions;
import io.mailfleet.protocols.smtp.policy.SmtpPolicy;
import io.mailfleet.protocols.smtp.postscreen.Postscreen;
import io.mailfleet.protocols.smtp.postscreen.PregreetGuard;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.mailfleet.protocols.netty.CommandDeadline;
import io.mailfleet.protocols.netty.Goodbyes;
import io.mailfleet.protocols.netty.ListenerAdmission;
import io.mailfleet.protocols.netty.ListenerPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** An SMTP listener (MX, submission or submissions) on Netty. */
public final class SmtpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpServer.class);

    /**
     * How long {@link #close} lets transactions already past the end of their data finish. Within the
     * 5 s Pekko gives the coordinated-shutdown phase that stops the listeners, which runs before the
     * node leaves the cluster, so the queue is still fully reachable meanwhile.
     */
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(4);

    /** The event that tells every open session the server is stopping. */
    enum Drain { INSTANCE }

    private final SmtpSettings settings;
    private final NettyListener listener;
    private final AtomicBoolean stopping;
    private final BlobUploads uploads;

    private SmtpServer(SmtpSettings settings, NettyListener listener, AtomicBoolean stopping, BlobUploads uploads) {
        this.settings = settings;
        this.listener = listener;
        this.stopping = stopping;
        this.uploads = uploads;
    }

    /**
     * Binds the listener and returns once it accepts connections.
     *
     * @throws IllegalStateException naming the address when the port cannot be bound
     */
    public static SmtpServer start(SmtpSettings settings, SmtpServices services) {
        return start(settings, services, 0);
    }

    /**
     * As above, with at most {@code clientConnectionLimit} simultaneous connections per client address
     * that have not logged in (0 = no limit; trusted networks are exempt), like Postfix's
     * {@code smtpd_client_connection_count_limit}: SMTP's value of the node's pre-login limit. The other
     * node limits come with {@link SmtpServices#guard()}; the login timeout applies to submission only.
     */
    public static SmtpServer start(SmtpSettings settings, SmtpServices services, int clientConnectionLimit) {
        return start(settings, services, clientConnectionLimit, LoginPolicy.DEFAULTS);
    }

    /** As above, with failed AUTH attempts treated as {@code logins} says. */
    public static SmtpServer start(SmtpSettings settings, SmtpServices allServices, int clientConnectionLimit,
                                   LoginPolicy logins) {
        return start(settings, allServices, clientConnectionLimit, logins, Postscreen.DISABLED);
    }

    /** As above, with the pregreet test of {@code postscreen} in front of every session of an MX listener. */
    public static SmtpServer start(SmtpSettings settings, SmtpServices allServices, int clientConnectionLimit,
                                   LoginPolicy logins, Postscreen postscreen) {
        SmtpServices services = allServices.withChecks(allServices.checks().forMode(settings.mode()));
        boolean pregreet = postscreen.settings().enabled() && settings.mode() == SmtpMode.MX;
        ListenerAdmission admission = services.guard().admission().forListener(new ListenerPolicy(
                "SMTP " + settings.mode(), goodbyes(settings.hostname()), clientConnectionLimit,
                settings.trustedNetworks(), settings.mode() != SmtpMode.MX));
        SmtpPolicy policy = new SmtpPolicy(
                new ResolverOptions(settings.recipientDelimiter(), settings.postmasterAddress(),
                        ResolverOptions.DEFAULT_MAX_DEPTH),
                settings.spoofProtection(), settings.quotasEnabled(), settings.defaultQuota(), services.usage(),
                services.srsBounces());
        boolean implicitTls = settings.mode() == SmtpMode.SUBMISSIONS && services.tls().enabled();
        if (settings.mode() == SmtpMode.SUBMISSIONS && !implicitTls) {
            LOG.warn("!! INSECURE !! port {} (submissions) runs without TLS because SSL_TYPE is empty", settings.port());
        }
        AtomicBoolean stopping = new AtomicBoolean();
        // message bytes reach the store on these threads, never on an event loop (started on first use)
        BlobUploads uploads = new BlobUploads("smtp-" + settings.mode().name().toLowerCase(java.util.Locale.ROOT)
                + "-blob-write", Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), BlobUploads.DEFAULT_WINDOW);
        SessionFront front = new SessionFront(services.guard(), admission, implicitTls ? services.tls() : null);
        NettyListener listener = NettyListener.bind("SMTP " + settings.mode(), settings.bindAddress(), settings.port(), 256, ch -> {
            front.install(ch);
            ch.pipeline().addLast("idle", new CommandDeadline(settings.idleTimeout()));
            if (pregreet) {
                ch.pipeline().addLast("postscreen", new PregreetGuard(postscreen, settings.hostname(),
                        settings.trustedNetworks(), settings.hardErrorLimit(), evt -> evt == Drain.INSTANCE));
            }
            ch.pipeline().addLast("smtp", new SmtpSession(settings, services, policy, stopping, logins, uploads));
        });
        SmtpServer server = new SmtpServer(settings, listener, stopping, uploads);
        LOG.debug("SMTP {} listening on {}:{}", settings.mode(), settings.bindAddress(), server.port());
        return server;
    }

    /** Postfix's words: smtpd_client_connection_count_limit, and its idle timeout for the login timeout. */
    static Goodbyes goodbyes(String hostname) {
        return new Goodbyes("421 4.7.0 " + hostname + " Error: too many connections",
                ip -> "421 4.7.0 " + hostname + " Error: too many connections from " + ip,
                "421 4.4.2 " + hostname + " Error: timeout exceeded");
    }

    /** The open connections (a closed one leaves the group by itself). */
    public io.netty.channel.group.ChannelGroup connections() {
        return listener.connections();
    }

    /** The bound port (useful when started with port 0). */
    public int port() {
        return listener.port();
    }

    public SmtpSettings settings() {
        return settings;
    }

    /**
     * Stops gracefully: no new connections; each open session is closed with {@code 421} at its next
     * command boundary, so a message whose data was already sent still gets its reply (a client that
     * saw its connection drop after the end of data would send it again, through another node: a
     * duplicate). Sessions still open after {@link #DRAIN_TIMEOUT} are cut off, then threads are freed.
     */
    @Override
    public void close() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        listener.stopAccepting();
        ChannelGroup open = listener.connections();
        if (!open.isEmpty()) {
            ChannelGroupFuture closed = open.newCloseFuture();
            open.forEach(ch -> ch.pipeline().fireUserEventTriggered(Drain.INSTANCE));
            if (!closed.awaitUninterruptibly(DRAIN_TIMEOUT.toMillis())) {
                LOG.warn("SMTP {}: {} sessions still busy after {} s of shutdown are cut off", settings.mode(),
                        open.size(), DRAIN_TIMEOUT.toSeconds());
            }
        }
        listener.close();
        uploads.close();
    }
}
