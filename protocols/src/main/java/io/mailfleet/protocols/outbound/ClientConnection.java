package io.mailfleet.protocols.outbound;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection to a remote SMTP server. Commands are written from a delivery worker thread;
 * replies are matched to commands in order (which is what makes PIPELINING work) and every wait
 * has the stage's timeout, after which the connection is closed.
 */
final class ClientConnection {

    private static final int MAX_LINE = 8192;

    private final Channel channel;
    private final String label;
    private final ArrayDeque<CompletableFuture<RemoteReply>> pending = new ArrayDeque<>();
    private final ArrayDeque<RemoteReply> unclaimed = new ArrayDeque<>();
    private volatile Throwable closedBy;
    private boolean tls;
    private String tlsVerdict = "none";
    private Map<String, String> extensions = Map.of();
    private boolean esmtp;

    private final InetSocketAddress remote;

    private ClientConnection(Channel channel, String label, InetSocketAddress remote) {
        this.channel = channel;
        this.label = label;
        this.remote = remote;
    }

    InetSocketAddress remote() {
        return remote;
    }

    /** Connects (blocking the calling worker up to the connect timeout). */
    static ClientConnection connect(Bootstrap base, String host, InetSocketAddress address, Duration timeout)
            throws OutboundException {
        String label = host + "[" + address.getAddress().getHostAddress() + "]:" + address.getPort();
        ClientConnection[] holder = new ClientConnection[1];
        Bootstrap b = base.clone()
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ClientConnection c = new ClientConnection(ch, label, address);
                        holder[0] = c;
                        ch.pipeline().addLast("lines", new LineBasedFrameDecoder(MAX_LINE, true, false));
                        ch.pipeline().addLast("replies", c.new ReplyHandler());
                    }
                });
        ChannelFuture f = b.connect(address);
        try {
            if (!f.await(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                f.channel().close();
                throw new OutboundException("4.4.1", "connect to " + label + ": timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.channel().close();
            throw new OutboundException("4.4.1", "connect to " + label + ": interrupted");
        }
        if (!f.isSuccess()) {
            throw new OutboundException("4.4.1", "connect to " + label + ": " + describe(f.cause()));
        }
        return holder[0];
    }

    String label() {
        return label;
    }

    boolean isOpen() {
        return channel.isActive() && closedBy == null;
    }

    boolean tls() {
        return tls;
    }

    /** What the TLS of this connection proved, for the log: {@code none}, {@code encrypted-unverified}, {@code verified}. */
    String tlsVerdict() {
        return tlsVerdict;
    }

    void tlsVerdict(String verdict) {
        this.tlsVerdict = verdict;
    }

    /** The peer's certificate chain after a handshake, or an empty array. */
    java.security.cert.X509Certificate[] peerChain() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return new java.security.cert.X509Certificate[0];
        }
        try {
            java.security.cert.Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            return java.util.Arrays.stream(chain).filter(c -> c instanceof java.security.cert.X509Certificate)
                    .map(c -> (java.security.cert.X509Certificate) c).toArray(java.security.cert.X509Certificate[]::new);
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return new java.security.cert.X509Certificate[0];
        }
    }

    /** The peer's end-entity certificate after a handshake, or null. */
    java.security.cert.X509Certificate peerCertificate() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return null;
        }
        try {
            java.security.cert.Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof java.security.cert.X509Certificate x ? x : null;
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return null;
        }
    }

    boolean esmtp() {
        return esmtp;
    }

    /** Extension keyword (upper case) to its parameters, from the last EHLO. */
    Map<String, String> extensions() {
        return extensions;
    }

    void setEhlo(boolean esmtp, Map<String, String> extensions) {
        this.esmtp = esmtp;
        this.extensions = Map.copyOf(extensions);
    }

    /** Waits for the next reply without sending (the greeting). */
    RemoteReply await(String stage, Duration timeout) throws OutboundException {
        return get(expect(stage, timeout), stage);
    }

    /** Sends one command and waits for its reply. */
    RemoteReply command(String line, String stage, Duration timeout) throws OutboundException {
        CompletableFuture<RemoteReply> f = expect(stage, timeout);
        channel.writeAndFlush(channel.alloc().buffer().writeBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8)));
        return get(f, stage);
    }

    /** Writes several commands in one flush (PIPELINING); the replies come back in order. */
    List<CompletableFuture<RemoteReply>> pipeline(List<String> lines, List<String> stages, List<Duration> timeouts) {
        List<CompletableFuture<RemoteReply>> out = new ArrayList<>();
        ByteBuf buf = channel.alloc().buffer();
        for (int i = 0; i < lines.size(); i++) {
            out.add(expectWithoutTimer());
            buf.writeBytes((lines.get(i) + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        // Each reply's timer starts when the batch is written, like Postfix's per-read deadlines.
        for (int i = 0; i < out.size(); i++) {
            arm(out.get(i), stages.get(i), timeouts.get(i));
        }
        channel.writeAndFlush(buf);
        return out;
    }

    RemoteReply get(CompletableFuture<RemoteReply> f, String stage) throws OutboundException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new OutboundException("4.4.2", label + ": interrupted during " + stage);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof StageTimeout t) {
                throw new OutboundException("4.4.2", "timeout after " + t.getMessage() + " at " + label);
            }
            throw new OutboundException("4.4.2", "lost connection with " + label + " during " + stage + ": "
                    + describe(c));
        }
    }

    /** Writes raw DATA bytes and waits until they are on the wire (the DATA block timeout). */
    void writeData(ByteBuf buf, Duration timeout) throws OutboundException {
        ChannelFuture f = channel.writeAndFlush(buf);
        try {
            if (!f.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new OutboundException("4.4.2", "timeout after sending message content to " + label);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new OutboundException("4.4.2", label + ": interrupted while sending message content");
        }
        if (!f.isSuccess()) {
            throw new OutboundException("4.4.2", "lost connection with " + label + " while sending message content: "
                    + describe(f.cause()));
        }
    }

    /** Puts TLS under the connection after a 220 to STARTTLS and waits for the handshake. */
    void startTls(SslContext context, String host, int port, Duration timeout) throws OutboundException {
        SslHandler ssl = context.newHandler(channel.alloc(), host, port);
        ssl.setHandshakeTimeoutMillis(timeout.toMillis());
        channel.pipeline().addFirst("tls", ssl);
        try {
            if (!ssl.handshakeFuture().await(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                close();
                throw new OutboundException("4.7.5", "TLS handshake with " + label + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new OutboundException("4.7.5", "TLS handshake with " + label + " interrupted");
        }
        if (!ssl.handshakeFuture().isSuccess()) {
            close();
            throw new OutboundException("4.7.5", "TLS handshake with " + label + " failed: "
                    + describe(ssl.handshakeFuture().cause()), ssl.handshakeFuture().cause());
        }
        tls = true;
        tlsVerdict = "encrypted-unverified";
    }

    /** Sends QUIT without waiting long, then closes. */
    void quit(Duration timeout) {
        if (isOpen()) {
            try {
                command("QUIT", "QUIT", timeout);
            } catch (OutboundException ignored) {
                // the peer may drop the connection before answering QUIT; closing is all that matters
            }
        }
        close();
    }

    void close() {
        channel.close();
    }

    ByteBuf buffer(int capacity) {
        return channel.alloc().buffer(capacity);
    }

    /** Runs when the remote closes the connection (used by the idle cache). */
    void onClose(Runnable r) {
        channel.closeFuture().addListener(f -> r.run());
    }

    ScheduledFuture<?> schedule(Runnable r, Duration delay) {
        return channel.eventLoop().schedule(r, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private CompletableFuture<RemoteReply> expect(String stage, Duration timeout) {
        CompletableFuture<RemoteReply> f = expectWithoutTimer();
        arm(f, stage, timeout);
        return f;
    }

    private CompletableFuture<RemoteReply> expectWithoutTimer() {
        CompletableFuture<RemoteReply> f = new CompletableFuture<>();
        synchronized (pending) {
            RemoteReply early = unclaimed.poll();
            if (early != null) {
                f.complete(early);
            } else if (closedBy != null) {
                f.completeExceptionally(closedBy);
            } else {
                pending.add(f);
            }
        }
        return f;
    }

    /** Hands a reply to the oldest waiting command, or keeps it until one asks (the greeting, a fast final reply). */
    private void deliverReply(RemoteReply reply) {
        CompletableFuture<RemoteReply> f;
        synchronized (pending) {
            f = pending.poll();
            if (f == null) {
                unclaimed.add(reply);
                return;
            }
        }
        f.complete(reply);
    }

    private void arm(CompletableFuture<RemoteReply> f, String stage, Duration timeout) {
        if (f.isDone()) {
            return;
        }
        ScheduledFuture<?> timer = channel.eventLoop().schedule(() -> {
            if (f.completeExceptionally(new StageTimeout(stage))) {
                channel.close();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        f.whenComplete((r, e) -> timer.cancel(false));
    }

    private void failAll(Throwable cause) {
        List<CompletableFuture<RemoteReply>> waiting;
        synchronized (pending) {
            if (closedBy == null) {
                closedBy = cause;
            }
            waiting = new ArrayList<>(pending);
            pending.clear();
        }
        waiting.forEach(f -> f.completeExceptionally(cause));
    }

    static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        Throwable e = t;
        while (e.getCause() != null && e.getMessage() != null && e.getCause().getMessage() != null
                && e.getMessage().contains(e.getCause().getMessage())) {
            e = e.getCause();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Thrown into a reply future when its stage timer fires. */
    static final class StageTimeout extends Exception {
        StageTimeout(String stage) {
            super(stage, null, false, false);
        }
    }

    private final class ReplyHandler extends SimpleChannelInboundHandler<ByteBuf> {
        private final List<String> lines = new ArrayList<>();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            String line = msg.toString(StandardCharsets.UTF_8);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                    || !Character.isDigit(line.charAt(2)) || (line.length() > 3 && line.charAt(3) != ' '
                    && line.charAt(3) != '-')) {
                failAll(new IOException("malformed reply line '" + abbreviate(line) + "'"));
                ctx.close();
                return;
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() > 3 && line.charAt(3) == '-') {
                return;
            }
            RemoteReply reply = new RemoteReply(Integer.parseInt(line.substring(0, 3)), lines);
            lines.clear();
            deliverReply(reply);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            failAll(new IOException("connection closed by remote"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failAll(cause);
            ctx.close();
        }

        private String abbreviate(String s) {
            return s.length() > 80 ? s.substring(0, 80) + "..." : s;
        }
    }
}
