package io.mailfleet.protocols.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Admits one connection against the node-wide cap and its listener's per-address pre-login limit,
 * counts its TLS handshakes (implicit TLS and STARTTLS) against the per-address handshake limit, and
 * ends it when it has not logged in within the login timeout. A refused connection gets its
 * protocol's reply (or, before an implicit TLS handshake, just the close) and never reaches the
 * session. Counts are released when the connection closes; the pre-login count also at login
 * ({@link ChannelLogin.Event#LOGGED_IN}).
 */
final class AdmissionHandler extends ChannelInboundHandlerAdapter {

    /** How long a goodbye may take to reach a client that does not read before the connection is cut. */
    private static final long GOODBYE_GRACE_SECONDS = 5;

    private final ListenerAdmission listener;
    private InetAddress client;
    private boolean exempt;
    private boolean refused;
    /** Whether the session behind this handler was started: it must then hear of the close, refused or not. */
    private boolean sessionStarted;
    private boolean nodeCounted;
    private boolean preLoginCounted;
    private SslHandler handshaking;
    private ScheduledFuture<?> loginTimer;

    AdmissionHandler(ListenerAdmission listener) {
        this.listener = listener;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetSocketAddress isa = RemoteAddress.of(ctx.channel());
        client = isa == null ? null : isa.getAddress();
        ListenerPolicy policy = listener.policy();
        exempt = client == null || policy.exempt().stream().anyMatch(c -> c.contains(client));
        if (!listener.node().tryOpen()) {
            refuse(ctx, policy.goodbyes().nodeFull(), "the node holds its maximum of "
                    + listener.node().limits().maxConnections() + " connections");
            return;
        }
        nodeCounted = true;
        if (!exempt) {
            if (!listener.preLogin().tryOpen(client)) {
                refuse(ctx, policy.goodbyes().addressFull().apply(client.getHostAddress()),
                        listener.preLogin().limit() + " connections without login from it already");
                return;
            }
            preLoginCounted = true;
        }
        if (!countHandshake(ctx)) {
            return;
        }
        long timeout = listener.node().limits().loginTimeout().toMillis();
        if (policy.loginRequired() && timeout > 0) {
            loginTimer = ctx.executor().schedule(() -> loginTimedOut(ctx), timeout, TimeUnit.MILLISECONDS);
        }
        sessionStarted = true;
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * A STARTTLS handshake starts with the client's hello, which ends in a read-complete passing here;
     * that is when it begins to count.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (refused || !countHandshake(ctx)) {
            return;
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelLogin.Event.LOGGED_IN) {
            releasePreLogin();
            if (loginTimer != null) {
                loginTimer.cancel(false);
                loginTimer = null;
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releasePreLogin();
        releaseHandshake();
        if (nodeCounted) {
            nodeCounted = false;
            listener.node().closed();
        }
        if (loginTimer != null) {
            loginTimer.cancel(false);
            loginTimer = null;
        }
        // A STARTTLS handshake refused mid-session still ends a started session, which releases its buffers.
        if (sessionStarted) {
            ctx.fireChannelInactive();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (refused) {
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    /** Counts an unfinished TLS handshake once; false (and the connection closed) when its address has too many. */
    private boolean countHandshake(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null || ssl == handshaking || ssl.handshakeFuture().isDone() || exempt) {
            return true;
        }
        ClientConnections handshakes = listener.node().handshakes();
        if (!handshakes.tryOpen(client)) {
            // No protocol text can be sent in the middle of (or before) a TLS handshake.
            refused = true;
            listener.refused(client.getHostAddress(), handshakes.limit() + " TLS handshakes from it in progress");
            ctx.channel().config().setAutoRead(false);
            ctx.close();
            return false;
        }
        releaseHandshake();
        handshaking = ssl;
        ssl.handshakeFuture().addListener(f -> {
            if (handshaking == ssl) {
                releaseHandshake();
            }
        });
        return true;
    }

    private void releaseHandshake() {
        if (handshaking != null) {
            handshaking = null;
            listener.node().handshakes().close(client);
        }
    }

    private void releasePreLogin() {
        if (preLoginCounted) {
            preLoginCounted = false;
            listener.preLogin().close(client);
        }
    }

    private void refuse(ChannelHandlerContext ctx, String reply, String why) {
        refused = true;
        listener.refused(client == null ? "?" : client.getHostAddress(), why);
        Channel ch = ctx.channel();
        ch.config().setAutoRead(false);
        if (ctx.pipeline().get(SslHandler.class) != null) {
            // implicit TLS: the reply could only be sent after a handshake the refusal is meant to spare
            ctx.close();
            return;
        }
        // From here the reply goes straight to the socket: the session never started.
        ctx.writeAndFlush(Unpooled.copiedBuffer(reply + "\r\n", StandardCharsets.UTF_8))
                .addListener(ChannelFutureListener.CLOSE);
        ctx.executor().schedule(() -> ctx.close(), GOODBYE_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    private void loginTimedOut(ChannelHandlerContext ctx) {
        loginTimer = null;
        Channel ch = ctx.channel();
        if (!ch.isActive() || ChannelLogin.isAuthenticated(ch)) {
            return;
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl != null && !ssl.handshakeFuture().isDone()) {
            ctx.close();
            return;
        }
        // Through the whole pipeline, so the goodbye is encrypted when TLS is on.
        ch.writeAndFlush(Unpooled.copiedBuffer(listener.policy().goodbyes().loginTimeout() + "\r\n",
                StandardCharsets.UTF_8)).addListener(ChannelFutureListener.CLOSE);
        ctx.executor().schedule(() -> ctx.close(), GOODBYE_GRACE_SECONDS, TimeUnit.SECONDS);
    }
}
