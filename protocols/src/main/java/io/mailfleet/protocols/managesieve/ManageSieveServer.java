package io.mailfleet.protocols.managesieve;

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

/** A ManageSieve listener (4190, STARTTLS) on Netty. */
public final class ManageSieveServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManageSieveServer.class);

    private final ManageSieveSettings settings;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;

    private ManageSieveServer(ManageSieveSettings settings, EventLoopGroup boss, EventLoopGroup workers, Channel channel) {
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
    public static ManageSieveServer start(ManageSieveSettings settings, ManageSieveServices services) {
        if (!services.tls().enabled()) {
            LOG.warn("!! INSECURE !! ManageSieve port {} runs without TLS because SSL_TYPE is empty", settings.port());
        }
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
                        ch.pipeline().addLast("idle", new IdleStateHandler(settings.idleTimeout().toMillis(), 0, 0,
                                TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast("managesieve", new ManageSieveSession(settings, services));
                    }
                });
        try {
            Channel ch = b.bind(new InetSocketAddress(settings.bindAddress(), settings.port())).syncUninterruptibly()
                    .channel();
            ManageSieveServer server = new ManageSieveServer(settings, boss, workers, ch);
            LOG.info("ManageSieve listening on {}:{}", settings.bindAddress(), server.port());
            return server;
        } catch (RuntimeException e) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen for ManageSieve on " + settings.bindAddress() + ":"
                    + settings.port() + ": " + e.getMessage(), e);
        }
    }

    /** The bound port (useful when started with port 0). */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public ManageSieveSettings settings() {
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
