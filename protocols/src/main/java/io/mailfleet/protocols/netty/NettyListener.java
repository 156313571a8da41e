package io.mailfleet.protocols.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A bound TCP listener with its own Netty event loops: the plumbing every protocol front-end shares
 * (bind, error naming the address, port lookup, graceful stop, accept errors logged once a minute
 * with a count).
 */
public final class NettyListener implements AutoCloseable {

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;
    private final ChannelGroup connections;

    private NettyListener(EventLoopGroup boss, EventLoopGroup workers, Channel channel, ChannelGroup connections) {
        this.boss = boss;
        this.workers = workers;
        this.channel = channel;
        this.connections = connections;
    }

    /**
     * Binds {@code bindAddress:port} and returns once it accepts connections; {@code init} builds
     * each new connection's pipeline. An IPv4 address listens on IPv4 only, {@code ::} on both
     * families, and a bracketed IPv6 address ({@code [::]}) on IPv6 only: IPv4 clients are reset at accept.
     *
     * @param protocol named in the error when the port cannot be bound
     * @throws IllegalStateException naming protocol, address and cause when binding fails
     */
    public static NettyListener bind(String protocol, String bindAddress, int port, int backlog,
                                     Consumer<SocketChannel> init) {
        // "[::]" (POSTFIX_INET_PROTOCOLS=ipv6): Java's NIO cannot set IPV6_V6ONLY, so the socket is
        // dual-stack and IPv4 clients are reset at accept, before any pipeline or allocation
        boolean ipv6Only = bindAddress.startsWith("[") && bindAddress.endsWith("]");
        String address = ipv6Only ? bindAddress.substring(1, bindAddress.length() - 1) : bindAddress;
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
        ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                // Java binds an IPv4 address on a dual-stack socket as if it were "::" (0.0.0.0 would take
                // IPv6 clients too): an IPv4 address gets an IPv4 socket, so 0.0.0.0 means IPv4 only
                .channelFactory(() -> address.contains(":") ? new NioServerSocketChannel()
                        : new NioServerSocketChannel(java.nio.channels.spi.SelectorProvider.provider(),
                        io.netty.channel.socket.SocketProtocolFamily.INET))
                .option(ChannelOption.SO_BACKLOG, backlog)
                .handler(new AcceptErrorHandler(protocol + " " + bindAddress + ":" + port))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ipv6Only && !(ch.remoteAddress().getAddress() instanceof java.net.Inet6Address)) {
                            ch.config().setOption(ChannelOption.SO_LINGER, 0);
                            ch.close();
                            return;
                        }
                        connections.add(ch);
                        init.accept(ch);
                    }
                });
        try {
            Channel ch = b.bind(new InetSocketAddress(address, port)).syncUninterruptibly().channel();
            return new NettyListener(boss, workers, ch, connections);
        } catch (RuntimeException e) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen for " + protocol + " on " + bindAddress + ":" + port
                    + ": " + e.getMessage(), e);
        }
    }

    /** The bound port (useful when bound to port 0). */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Stops accepting new connections; the open ones go on. */
    public void stopAccepting() {
        channel.close().syncUninterruptibly();
    }

    /** The open connections (a closed one leaves the group by itself). */
    public ChannelGroup connections() {
        return connections;
    }

    /** Stops accepting, closes open connections and frees the threads. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
