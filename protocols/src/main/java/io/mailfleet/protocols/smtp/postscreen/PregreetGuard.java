package io.mailfleet.protocols.smtp.postscreen;

import io.mailfleet.protocols.framing.LineFramer;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.netty.RemoteAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The pregreet test, in front of the SMTP session of port 25: sends the banner's first line
 * ({@code 220-}), holds the last one back for the greet wait and watches for bytes meanwhile, as
 * Postfix's postscreen does. A client that stayed silent passes: the session starts and sends the last
 * {@code 220 } line. One that talked is logged and handled as {@link PostscreenAction} says. Trusted
 * networks and clients in the pass cache go straight to the session. Everything runs on the event loop.
 */
public final class PregreetGuard extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.smtp.postscreen");
    private static final int MAX_COMMAND = 512;

    /** PASSED: the session has the connection; CLOSED: refused, the session never saw it. */
    private enum State { WAITING, ENFORCING, PASSED, CLOSED }

    private final Postscreen postscreen;
    private final String hostname;
    private final List<Cidr> trusted;
    private final int hardErrorLimit;
    private final Predicate<Object> isDrain;

    private State state = State.WAITING;
    private InetAddress client;
    private String clientIp = "unknown";
    private ScheduledFuture<?> timer;
    /** What the client sent before the banner, held for the session ({@code ignore}) or answered ({@code enforce}). */
    private LineFramer early;
    private long connectedAt;
    private int errors;

    /**
     * @param isDrain tells the server's stop event, which closes a session still under test
     */
    public PregreetGuard(Postscreen postscreen, String hostname, List<Cidr> trusted, int hardErrorLimit,
                         Predicate<Object> isDrain) {
        this.postscreen = postscreen;
        this.hostname = hostname;
        this.trusted = List.copyOf(trusted);
        this.hardErrorLimit = hardErrorLimit;
        this.isDrain = isDrain;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetSocketAddress isa = RemoteAddress.of(ctx.channel());
        client = isa == null ? null : isa.getAddress();
        if (client != null) {
            clientIp = client.getHostAddress();
        }
        if (client == null || trusted.stream().anyMatch(c -> c.contains(client)) || postscreen.passed().passed(client, PostscreenTest.PREGREET)) {
            handOver(ctx);
            return;
        }
        connectedAt = System.nanoTime();
        ctx.writeAndFlush(line("220-" + hostname + " ESMTP"));
        try {
            postscreen.onGreetWait().accept(client);
        } catch (RuntimeException e) {
            LOG.warn("starting the look-ups of [{}] during the greet wait failed: {}", clientIp, e.toString());
        }
        timer = ctx.executor().schedule(() -> greetWaitOver(ctx), postscreen.settings().greetWait().toNanos(),
                TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.PASSED) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (state == State.CLOSED) {
            ((ByteBuf) msg).release();
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        if (early == null) {
            early = new LineFramer(ctx.alloc());
            if (state == State.WAITING) {
                LOG.info("PREGREET {} bytes after {} ms from [{}]: {} (action {})", in.readableBytes(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connectedAt), clientIp, sample(in),
                        postscreen.settings().action().name().toLowerCase(Locale.ROOT));
            }
        }
        if (state == State.WAITING && postscreen.settings().action() == PostscreenAction.DROP) {
            in.release();
            postscreen.refusals().refused("pregreet");
            close(ctx, "521 5.5.1 Protocol error");
            return;
        }
        early.add(in);
        if (state == State.WAITING) {
            // keep what came for after the wait, read no more until then: the bytes held stay bounded
            ctx.channel().config().setAutoRead(false);
        } else {
            answerEnforced(ctx);
        }
    }

    private void greetWaitOver(ChannelHandlerContext ctx) {
        if (state != State.WAITING || !ctx.channel().isActive()) {
            return;
        }
        if (early == null) {
            LOG.debug("PASS NEW [{}]", clientIp);
            postscreen.passed().remember(client, PostscreenTest.PREGREET, postscreen.settings().passTtl());
            handOver(ctx);
        } else if (postscreen.settings().action() == PostscreenAction.IGNORE) {
            handOver(ctx);
        } else {
            state = State.ENFORCING;
            postscreen.refusals().refused("pregreet");
            ctx.channel().config().setAutoRead(true);
            ctx.write(line("220 " + hostname + " ESMTP"));
            answerEnforced(ctx);
        }
    }

    /** The session takes the connection: it greets, then reads whatever the client already sent. */
    private void handOver(ChannelHandlerContext ctx) {
        state = State.PASSED;
        ctx.channel().config().setAutoRead(true);
        ctx.fireChannelActive();
        if (early != null) {
            ByteBuf held = early.takeAll();
            early.release();
            early = null;
            if (held.isReadable()) {
                ctx.fireChannelRead(held);
            } else {
                held.release();
            }
        }
        ctx.pipeline().remove(this);
    }

    /** Postfix's {@code enforce}: every command but QUIT is refused, so no mail gets through. */
    private void answerEnforced(ChannelHandlerContext ctx) {
        while (state == State.ENFORCING) {
            LineFramer.Line l = early.readLine(MAX_COMMAND - 1);
            if (l == null) {
                break;
            }
            String text = l.tooLong() ? "" : l.text();
            if (text.trim().equalsIgnoreCase("QUIT")) {
                close(ctx, "221 2.0.0 Bye");
                return;
            }
            LOG.info("NOQUEUE: reject: [{}] after PREGREET: {}", clientIp, printable(text, 100));
            ctx.write(line("550 5.5.1 Protocol error"));
            if (++errors >= hardErrorLimit) {
                close(ctx, "421 4.7.0 " + hostname + " Error: too many errors");
                return;
            }
        }
        if (state == State.ENFORCING) {
            early.compact();
            ctx.flush();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (state == State.PASSED) {
            ctx.fireUserEventTriggered(evt);
        } else if (state == State.CLOSED) {
            return;
        } else if (isDrain.test(evt)) {
            close(ctx, "421 4.3.2 " + hostname + " Service shutting down, try again later");
        } else if (evt instanceof IdleStateEvent) {
            close(ctx, "421 4.4.2 " + hostname + " Error: timeout exceeded");
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state == State.PASSED) {
            ctx.fireChannelInactive();
            return;
        }
        // the session never started: it has nothing to clean up and must not see the close
        state = State.CLOSED;
        cancelTimer();
        releaseEarly();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (state == State.PASSED) {
            ctx.fireExceptionCaught(cause);
        } else {
            LOG.info("client=[{}] connection error during postscreen: {}", clientIp, cause.toString());
            ctx.close();
        }
    }

    private void close(ChannelHandlerContext ctx, String reply) {
        state = State.CLOSED;
        cancelTimer();
        releaseEarly();
        ctx.writeAndFlush(line(reply)).addListener(ChannelFutureListener.CLOSE);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void releaseEarly() {
        if (early != null) {
            early.release();
            early = null;
        }
    }

    private static ByteBuf line(String text) {
        return Unpooled.copiedBuffer(text + "\r\n", StandardCharsets.US_ASCII);
    }

    private static String sample(ByteBuf in) {
        int n = Math.min(in.readableBytes(), 60);
        return printable(in.toString(in.readerIndex(), n, StandardCharsets.ISO_8859_1), 60);
    }

    private static String printable(String s, int max) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (b.length() >= max) {
                b.append("...");
                break;
            }
            if (c == '\r') {
                b.append("\\r");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
