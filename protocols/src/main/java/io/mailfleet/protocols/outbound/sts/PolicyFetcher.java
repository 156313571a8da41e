package io.mailfleet.protocols.outbound.sts;

import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.core.dns.DnsResult;
import io.mailfleet.core.tlsrpt.TlsResultType;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
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
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Fetches {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} (RFC 8461 §3.3) without blocking:
 * the host is resolved through the node's DNS resolver (the JDK HTTP client would use the system
 * resolver instead), the certificate is verified as for HTTPS (chain against the trust store, name
 * {@code mta-sts.<domain>}), redirects are not followed, only a 200 with {@code text/plain} is
 * accepted, the body is at most 64 KB and the whole fetch is bounded by a timeout.
 */
public final class PolicyFetcher implements AutoCloseable {

    /** RFC 8461 §3.3: senders may limit the policy size; 64 KB is the usual bound. */
    public static final int MAX_BODY = 64 * 1024;

    private final DnsResolver dns;
    private final int port;
    private final Duration timeout;
    private final EventLoopGroup group;
    private final SslContext ssl;

    /**
     * @param trust   the certificate authorities the policy host's certificate must chain to
     * @param port    the HTTPS port (443; tests use others)
     * @param timeout the bound on the whole fetch, DNS included
     */
    public PolicyFetcher(DnsResolver dns, TrustManagerFactory trust, int port, Duration timeout) {
        this.dns = dns;
        this.port = port;
        this.timeout = timeout;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            this.ssl = SslContextBuilder.forClient().trustManager(trust).endpointIdentificationAlgorithm("HTTPS").build();
        } catch (SSLException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot create the MTA-STS TLS context: " + e.getMessage(), e);
        }
    }

    /** The policy body; fails with a {@link PolicyFetchException}. */
    public CompletionStage<byte[]> fetch(String domain) {
        String host = "mta-sts." + domain;
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        var timer = group.next().schedule(() -> result.completeExceptionally(new PolicyFetchException(
                TlsResultType.STS_POLICY_FETCH_ERROR, "fetching the MTA-STS policy from " + host + " timed out after "
                + timeout.toSeconds() + "s")), timeout.toMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((b, e) -> timer.cancel(false));
        address(host).whenComplete((address, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else if (!result.isDone()) {
                connect(host, address, result);
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
                throw new PolicyFetchException(TlsResultType.STS_POLICY_FETCH_ERROR,
                        "the MTA-STS policy host " + host + " has no address (" + describe(v4) + ")");
            });
        });
    }

    private static String describe(DnsResult<?> r) {
        if (r instanceof DnsResult.TempError<?> t) {
            return t.reason();
        }
        return r instanceof DnsResult.NxDomain ? "NXDOMAIN" : "no A/AAAA record";
    }

    private void connect(String host, InetAddress address, CompletableFuture<byte[]> result) {
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler tls = ssl.newHandler(ch.alloc(), host, port);
                        ch.pipeline().addLast(tls, new HttpClientCodec(), new HttpObjectAggregator(MAX_BODY),
                                new Response(host, result));
                    }
                });
        ChannelFuture f = b.connect(new InetSocketAddress(address, port));
        result.whenComplete((body, e) -> f.channel().close());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                result.completeExceptionally(new PolicyFetchException(TlsResultType.STS_POLICY_FETCH_ERROR,
                        "cannot connect to the MTA-STS policy host " + host + "[" + address.getHostAddress() + "]:"
                                + port + ": " + done.cause()));
                return;
            }
            Channel ch = f.channel();
            DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                    "/.well-known/mta-sts.txt");
            req.headers().set(HttpHeaderNames.HOST, port == 443 ? host : host + ":" + port);
            req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            req.headers().set(HttpHeaderNames.USER_AGENT, "Mailfleet MTA-STS");
            ch.writeAndFlush(req);
        });
    }

    /** Turns the one response (or the failure) into the fetch result. */
    private static final class Response extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final String host;
        private final CompletableFuture<byte[]> result;

        Response(String host, CompletableFuture<byte[]> result) {
            this.host = host;
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
            int code = r.status().code();
            if (code != 200) {
                // RFC 8461 §3.3: HTTP redirects are not followed.
                result.completeExceptionally(new PolicyFetchException(TlsResultType.STS_POLICY_FETCH_ERROR,
                        "the MTA-STS policy host " + host + " answered HTTP " + code
                                + (code >= 300 && code < 400 ? " (redirects are not followed)" : "")));
                return;
            }
            String type = r.headers().get(HttpHeaderNames.CONTENT_TYPE, "").toLowerCase(Locale.ROOT);
            if (!type.strip().startsWith("text/plain")) {
                result.completeExceptionally(new PolicyFetchException(TlsResultType.STS_POLICY_INVALID,
                        "the MTA-STS policy from " + host + " has content type '" + type + "', not text/plain"));
                return;
            }
            result.complete(ByteBufUtil.getBytes(r.content()));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(classify(host, cause));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.completeExceptionally(new PolicyFetchException(TlsResultType.STS_POLICY_FETCH_ERROR,
                    "the MTA-STS policy host " + host + " closed the connection without a complete answer"));
        }
    }

    static PolicyFetchException classify(String host, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException) {
                return new PolicyFetchException(TlsResultType.STS_WEBPKI_INVALID,
                        "the certificate of the MTA-STS policy host " + host + " is not valid: " + t.getMessage());
            }
            if (t instanceof io.netty.handler.codec.TooLongFrameException) {
                return new PolicyFetchException(TlsResultType.STS_POLICY_INVALID,
                        "the answer of the MTA-STS policy host " + host + " is too large (policy over " + MAX_BODY
                                + " bytes, or oversized HTTP header): " + t.getMessage());
            }
        }
        return new PolicyFetchException(TlsResultType.STS_POLICY_FETCH_ERROR,
                "fetching the MTA-STS policy from " + host + " failed: " + cause);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
}
