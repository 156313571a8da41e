package io.mailfleet.protocols.imap;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** An IMAP listener (143 with STARTTLS or 993 with implicit TLS) on Netty. */
public final class ImapServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImapServer.class);

    private final ImapSettings settings;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;

    private ImapServer(ImapSettings settings, EventLoopGroup boss, EventLoopGroup workers, Channel channel) {
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
    public static ImapServer start(ImapSettings settings, ImapServices services) {
        boolean implicitTls = settings.implicitTls() && services.tls().enabled();
        if (settings.implicitTls() && !implicitTls) {
            LOG.warn("!! INSECURE !! IMAPS port {} runs without TLS because SSL_TYPE is empty", settings.port());
        }
        ConcurrentHashMap<String, AtomicInteger> perUserIp = new ConcurrentHashMap<>();
        AuthCache authCache = new AuthCache(settings.authCacheTtl());
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
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
                        ch.pipeline().addLast("chunked", new ChunkedWriteHandler());
                        ch.pipeline().addLast("imap", new ImapSession(settings, services, implicitTls, perUserIp, authCache));
                    }
                });
        try {
            Channel ch = b.bind(new InetSocketAddress(settings.bindAddress(), settings.port())).syncUninterruptibly()
                    .channel();
            ImapServer server = new ImapServer(settings, boss, workers, ch);
            LOG.info("IMAP{} listening on {}:{}", implicitTls ? "S" : "", settings.bindAddress(), server.port());
            return server;
        } catch (RuntimeException e) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen for IMAP on " + settings.bindAddress() + ":"
                    + settings.port() + ": " + e.getMessage(), e);
        }
    }

    /** The bound port (useful when started with port 0). */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public ImapSettings settings() {
        return settings;
    }

    /** Stops accepting, closes open sessions and frees threads. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
