package io.mailfleet.protocols.smtp;

import io.mailfleet.core.directory.ResolverOptions;
import io.mailfleet.protocols.smtp.policy.SmtpPolicy;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** An SMTP listener (MX, submission or submissions) on Netty. */
public final class SmtpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpServer.class);

    private final SmtpSettings settings;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;

    private SmtpServer(SmtpSettings settings, EventLoopGroup boss, EventLoopGroup workers, Channel channel) {
        this.settings = settings;
        this.boss = boss;
        this.workers = workers;
        this.channel = channel;
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
                settings.spoofProtection(), settings.quotasEnabled(), settings.defaultQuota(), services.usage());
        boolean implicitTls = settings.mode() == SmtpMode.SUBMISSIONS && services.tls().enabled();
        if (settings.mode() == SmtpMode.SUBMISSIONS && !implicitTls) {
            LOG.warn("!! INSECURE !! port {} (submissions) runs without TLS because SSL_TYPE is empty", settings.port());
        }
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        services.guard().install(ch.pipeline());
                        if (implicitTls) {
                            ch.pipeline().addLast("tls", services.tls().newHandler(ch.alloc(), false));
                        }
                        ch.pipeline().addLast("idle", new IdleStateHandler(settings.idleTimeout().toMillis(), 0, 0,
                                TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast("smtp", new SmtpSession(settings, services, policy));
                    }
                });
        try {
            Channel ch = b.bind(new InetSocketAddress(settings.bindAddress(), settings.port())).syncUninterruptibly().channel();
            SmtpServer server = new SmtpServer(settings, boss, workers, ch);
            LOG.debug("SMTP {} listening on {}:{}", settings.mode(), settings.bindAddress(), server.port());
            return server;
        } catch (RuntimeException e) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen for SMTP " + settings.mode() + " on "
                    + settings.bindAddress() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
    }

    /** The bound port (useful when started with port 0). */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public SmtpSettings settings() {
        return settings;
    }

    /** Stops accepting, closes open sessions (their unfinished transactions are aborted) and frees threads. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
