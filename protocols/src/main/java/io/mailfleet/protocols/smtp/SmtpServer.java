package io.mailfleet.protocols.smtp;

import io.mailfleet.protocols.netty.NettyListener;
import io.mailfleet.core.directory.ResolverOptions;
import io.mailfleet.protocols.smtp.policy.SmtpPolicy;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/** An SMTP listener (MX, submission or submissions) on Netty. */
public final class SmtpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpServer.class);

    private final SmtpSettings settings;
    private final NettyListener listener;

    private SmtpServer(SmtpSettings settings, NettyListener listener) {
        this.settings = settings;
        this.listener = listener;
    }

    /**
     * Binds the listener and returns once it accepts connections.
     *
     * @throws IllegalStateException naming the address when the port cannot be bound
     */
    public static SmtpServer start(SmtpSettings settings, SmtpServices services) {
        SmtpPolicy policy = new SmtpPolicy(
                new ResolverOptions(settings.recipientDelimiter(), settings.postmasterAddress(),
                        ResolverOptions.DEFAULT_MAX_DEPTH),
                settings.spoofProtection(), settings.quotasEnabled(), settings.defaultQuota(), services.usage(),
                services.srsBounces());
        boolean implicitTls = settings.mode() == SmtpMode.SUBMISSIONS && services.tls().enabled();
        if (settings.mode() == SmtpMode.SUBMISSIONS && !implicitTls) {
            LOG.warn("!! INSECURE !! port {} (submissions) runs without TLS because SSL_TYPE is empty", settings.port());
        }
        NettyListener listener = NettyListener.bind("SMTP " + settings.mode(), settings.bindAddress(), settings.port(), 256, ch -> {
            services.guard().install(ch.pipeline());
            if (implicitTls) {
                ch.pipeline().addLast("tls", services.tls().newHandler(ch.alloc(), false));
            }
            ch.pipeline().addLast("idle", new IdleStateHandler(settings.idleTimeout().toMillis(), 0, 0,
                    TimeUnit.MILLISECONDS));
            ch.pipeline().addLast("smtp", new SmtpSession(settings, services, policy));
        });
        SmtpServer server = new SmtpServer(settings, listener);
        LOG.debug("SMTP {} listening on {}:{}", settings.mode(), settings.bindAddress(), server.port());
        return server;
    }

    /** The bound port (useful when started with port 0). */
    public int port() {
        return listener.port();
    }

    public SmtpSettings settings() {
        return settings;
    }

    /** Stops accepting, closes open sessions (their unfinished transactions are aborted) and frees threads. */
    @Override
    public void close() {
        listener.close();
    }
}
