package io.mailfleet.protocols.outbound.https;

import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.core.dns.DnsResult;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One HTTPS request at a time per call, without blocking: the host is resolved through the node's
 * DNS resolver (the JDK HTTP client would use the system resolver instead), the certificate is
 * verified as for HTTPS (chain against the trust store, name = the host), redirects are not
 * followed, the response body is bounded and the whole exchange has a deadline. Runs on an event
 * loop of its own.
 */
public final class HttpsClient implements AutoCloseable {

    private final DnsResolver dns;
    private final EventLoopGroup group;
    private final SslContext ssl;

    public HttpsClient(DnsResolver dns, TrustManagerFactory trust) {
        this.dns = dns;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            this.ssl = SslContextBuilder.forClient().trustManager(trust).endpointIdentificationAlgorithm("HTTPS").build();
        } catch (SSLException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot create the HTTPS client's TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * Sends the request; fails with an {@link HttpsFailure}.
     *
     * @param body        the request body, or null for none (GET)
     * @param contentType the body's content type, or null
     * @param maxBody     the largest response body accepted
     */
    public CompletionStage<HttpsResponse> exchange(HttpMethod method, String host, int port, String path, byte[] body,
                                                   String contentType, int maxBody, Duration timeout) {
        CompletableFuture<HttpsResponse> result = new CompletableFuture<>();
        var timer = group.next().schedule(() -> result.completeExceptionally(new HttpsFailure(HttpsFailure.Kind.TIMEOUT,
                "no answer from " + host + " within " + timeout.toSeconds() + "s")), timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        result.whenComplete((b, e) -> timer.cancel(false));
        address(host).whenComplete((address, e) -> {
            if (e != null) {
                result.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e);
            } else if (!result.isDone()) {
                connect(method, host, port, path, body, contentType, maxBody, timeout, address, result);
            }
        });
        return result;
    }

    private CompletionStage<InetAddress> address(String host) {
        return dns.a(host).thenCompose(v4 -> {
            if (v4 instanceof DnsResult.Found<InetAddress> f && !f.values().isEmpty()) {
                return CompletableFuture.completedFuture(f.values().get(0));
            }
            return dns.aaaa(host).thenApply(v6 -> {
                if (v6 instanceof DnsResult.Found<InetAddress> f && !f.values().isEmpty()) {
                    return f.values().get(0);
                }
                String why = v4 instanceof DnsResult.TempError<?> t ? t.reason()
                        : v4 instanceof DnsResult.NxDomain ? "NXDOMAIN" : "no A/AAAA record";
                throw new HttpsFailure(HttpsFailure.Kind.NO_ADDRESS, host + " has no address (" + why + ")");
            });
        });
    }

    private void connect(HttpMethod method, String host, int port, String path, byte[] body, String contentType,
                         int maxBody, Duration timeout, InetAddress address, CompletableFuture<HttpsResponse> result) {
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc(), host, port), new HttpClientCodec(),
                                new HttpObjectAggregator(maxBody), new Response(host, result));
                    }
                });
        ChannelFuture f = b.connect(new InetSocketAddress(address, port));
        result.whenComplete((r, e) -> f.channel().close());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                result.completeExceptionally(new HttpsFailure(HttpsFailure.Kind.CONNECT, "cannot connect to " + host
                        + "[" + address.getHostAddress() + "]:" + port + ": " + done.cause()));
                return;
            }
            Channel ch = f.channel();
            DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path,
                    body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
            req.headers().set(HttpHeaderNames.HOST, port == 443 ? host : host + ":" + port);
            req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            req.headers().set(HttpHeaderNames.USER_AGENT, "Mailfleet");
            if (body != null) {
                req.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
                req.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            }
            ch.writeAndFlush(req);
        });
    }

    /** Turns the one response (or the failure) into the result. */
    private static final class Response extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final String host;
        private final CompletableFuture<HttpsResponse> result;

        Response(String host, CompletableFuture<HttpsResponse> result) {
            this.host = host;
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
            result.complete(new HttpsResponse(r.status().code(), r.headers().get(HttpHeaderNames.CONTENT_TYPE, ""),
                    ByteBufUtil.getBytes(r.content())));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(classify(host, cause));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.completeExceptionally(new HttpsFailure(HttpsFailure.Kind.PROTOCOL,
                    host + " closed the connection without a complete answer"));
        }
    }

    static HttpsFailure classify(String host, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException) {
                return new HttpsFailure(HttpsFailure.Kind.CERTIFICATE, "the certificate of " + host + " is not valid: "
                        + t.getMessage());
            }
            if (t instanceof TooLongFrameException) {
                return new HttpsFailure(HttpsFailure.Kind.TOO_LARGE, "the answer of " + host
                        + " is too large (body over the limit, or oversized HTTP header): " + t.getMessage());
            }
        }
        return new HttpsFailure(HttpsFailure.Kind.PROTOCOL, "HTTPS exchange with " + host + " failed: " + cause);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
}
