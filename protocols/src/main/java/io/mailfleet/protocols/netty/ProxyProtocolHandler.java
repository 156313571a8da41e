package io.mailfleet.protocols.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PROXY protocol v1/v2 (HAProxy) on a listener behind a load balancer. Follows a
 * {@link io.netty.handler.codec.haproxy.HAProxyMessageDecoder}: the connection must come from a
 * trusted proxy network and must start with a PROXY header within the timeout, otherwise it is
 * closed (docker-mailserver FB-33: a PROXY-enabled port rejects connections without the header).
 * The header's source address becomes {@link RemoteAddress#KEY}; only then do later handlers see
 * {@code channelActive}, so no banner is sent before the real client is known.
 */
public final class ProxyProtocolHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.proxy");

    private final List<Cidr> trusted;
    private final long headerTimeoutMillis;
    private ScheduledFuture<?> timeout;
    private boolean rejected;

    public ProxyProtocolHandler(List<Cidr> trustedProxies, long headerTimeoutMillis) {
        this.trusted = List.copyOf(trustedProxies);
        this.headerTimeoutMillis = headerTimeoutMillis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        if (peer == null || peer.getAddress() == null || trusted.stream().noneMatch(c -> c.contains(peer.getAddress()))) {
            reject(ctx, "connection from " + (peer == null ? "?" : peer.getAddress().getHostAddress())
                    + ", which is not a trusted proxy (mailfleet.proxy-protocol.trusted-networks)");
            return;
        }
        timeout = ctx.executor().schedule(() -> reject(ctx, "no PROXY header within " + headerTimeoutMillis + " ms from "
                + peer.getAddress().getHostAddress()), headerTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rejected || !(msg instanceof HAProxyMessage header)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        InetSocketAddress client;
        try {
            client = clientOf(header, peer);
        } finally {
            header.release();
        }
        if (client == null) {
            reject(ctx, "PROXY header from " + peer.getAddress().getHostAddress() + " with an unusable source address");
            return;
        }
        if (timeout != null) {
            timeout.cancel(false);
        }
        ctx.channel().attr(RemoteAddress.KEY).set(client);
        LOG.debug("PROXY header from {}: client {}", peer, client);
        ctx.fireChannelActive();
        ctx.pipeline().remove(this);
    }

    /** The proxied client, the proxy itself for LOCAL (health checks) and UNKNOWN, or null when unusable. */
    private static InetSocketAddress clientOf(HAProxyMessage m, InetSocketAddress peer) {
        if (m.command() == HAProxyCommand.LOCAL || m.proxiedProtocol() == HAProxyProxiedProtocol.UNKNOWN) {
            return peer;
        }
        if (m.proxiedProtocol() != HAProxyProxiedProtocol.TCP4 && m.proxiedProtocol() != HAProxyProxiedProtocol.TCP6) {
            return null;
        }
        try {
            // The decoder has validated the address literal for the declared family: no lookup happens.
            return new InetSocketAddress(InetAddress.getByName(m.sourceAddress()), m.sourcePort());
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        reject(ctx, "invalid or missing PROXY header from " + (peer == null ? "?" : peer.getAddress().getHostAddress())
                + ": " + cause.getMessage());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        // The session never started (channelActive was not passed on), so nothing to tell it.
    }

    private void reject(ChannelHandlerContext ctx, String why) {
        if (rejected) {
            return;
        }
        rejected = true;
        LOG.info("PROXY protocol: closing {}", why);
        ctx.channel().config().setAutoRead(false);
        ctx.close();
    }
}
