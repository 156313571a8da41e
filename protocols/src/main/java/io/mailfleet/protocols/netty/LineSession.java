package io.mailfleet.protocols.netty;

import io.mailfleet.protocols.framing.LineFramer;
import io.mailfleet.protocols.tls.StartTls;
import io.mailfleet.protocols.tls.TlsContextProvider;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * The connection plumbing POP3 and ManageSieve share: line framing under a length limit, reading paused
 * while a command waits for something asynchronous, the count of bad commands, writing replies, the
 * idle goodbye and the STARTTLS switch. A subclass reads its commands from whole lines (and counted
 * blocks, if it announces any) and speaks its protocol's replies. Runs on its channel's event loop.
 */
public abstract class LineSession extends ChannelInboundHandlerAdapter {

    /** The subclass's own logger, so log lines keep naming the protocol's session class. */
    protected final Logger log = LoggerFactory.getLogger(getClass());

    private final String protocol;
    private final int maxLineLength;
    private final int maxBadCommands;
    protected ChannelHandlerContext ctx;
    protected LineFramer framer;
    protected String remoteIp = "";
    protected boolean tlsActive;
    private boolean busy;
    private boolean hangingUp;
    private int badCommands;

    /**
     * @param protocol       the protocol's name in log lines ({@code POP3}, {@code ManageSieve})
     * @param maxLineLength  longest command line read; a longer one is refused by {@link #lineTooLong}
     * @param maxBadCommands bad commands after which the connection ends with {@link #tooManyBadCommands}
     */
    protected LineSession(String protocol, int maxLineLength, int maxBadCommands, boolean tlsActive) {
        this.protocol = protocol;
        this.maxLineLength = maxLineLength;
        this.maxBadCommands = maxBadCommands;
        this.tlsActive = tlsActive;
    }

    // ---------------------------------------------------------------- what a protocol says and does

    /** The connection is open ({@link #ctx}, {@link #framer} and {@link #remoteIp} set): greet. */
    protected abstract void opened();

    /** One command line (or a continuation the session waits for), without its line end. */
    protected abstract void onLine(String line);

    /** A line over the limit was skipped: answer it (usually through {@link #bad}). */
    protected abstract void lineTooLong();

    /** A stretch of an announced counted block; {@code last} when the block is complete. */
    protected void onCounted(ByteBuf chunk, boolean last) {
        throw new IllegalStateException(protocol + " announced no counted block");
    }

    /** The goodbye (CRLF-terminated) when the connection was idle too long. */
    protected abstract String idleGoodbye();

    /** The goodbye (CRLF-terminated) after too many bad commands. */
    protected abstract String tooManyBadCommands();

    /** The connection is gone: give back what the session holds. Runs once the framer is released. */
    protected abstract void ended();

    // ---------------------------------------------------------------- channel events

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.framer = new LineFramer(ctx.alloc());
        this.remoteIp = RemoteAddress.ip(ctx.channel());
        opened();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        framer.add((ByteBuf) msg);
        process();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (framer != null) {
            framer.release();
        }
        ended();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.writeAndFlush(text(idleGoodbye())).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{} connection from {} failed: {}", protocol, remoteIp, cause.toString());
        ctx.close();
    }

    // ---------------------------------------------------------------- framing

    private void process() {
        while (!busy && !hangingUp && framer.isReadable() && ctx.channel().isActive()) {
            if (framer.counting()) {
                ByteBuf chunk = framer.readCounted();
                onCounted(chunk, !framer.counting());
                continue;
            }
            LineFramer.Line line = framer.readLine(maxLineLength);
            if (line == null) {
                break;
            }
            if (line.tooLong()) {
                lineTooLong();
                continue;
            }
            onLine(line.text());
        }
        framer.compact();
        if (ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(!busy);
        }
    }

    /** Reads no further command until {@link #resume()}. */
    protected void pause() {
        busy = true;
        ctx.channel().config().setAutoRead(false);
    }

    /** Ends a paused command and goes on with pipelined ones. */
    public void resume() {
        busy = false;
        if (ctx.channel().isActive()) {
            process();
        }
    }

    /**
     * Pauses until {@code stage} completes, then runs {@code done} on the event loop with its value or its
     * failure (unwrapped from {@link CompletionException}); {@code done} decides when to {@link #resume()}.
     */
    protected <T> void pauseUntil(CompletionStage<T> stage, BiConsumer<T, Throwable> done) {
        pause();
        stage.whenCompleteAsync((v, err) -> done.accept(v,
                err instanceof CompletionException && err.getCause() != null ? err.getCause() : err), ctx.executor());
    }

    // ---------------------------------------------------------------- output

    protected static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    /** Writes {@code line} and CRLF. */
    public void reply(String line) {
        ctx.writeAndFlush(text(line + "\r\n"));
    }

    /** Writes {@code raw} as it is. */
    public void send(String raw) {
        ctx.writeAndFlush(text(raw));
    }

    /** Writes {@code line} for a client mistake; the connection ends after too many of them. */
    protected void badReply(String line) {
        reply(line);
        if (++badCommands >= maxBadCommands) {
            closeWith(tooManyBadCommands());
        }
    }

    /** Writes {@code raw}, closes the connection once it is written and reads no further command. */
    public void closeWith(String raw) {
        ctx.writeAndFlush(text(raw)).addListener(ChannelFutureListener.CLOSE);
        hangingUp = true;
    }

    /** Reads no further command: the connection is closing. */
    public void hangUp() {
        hangingUp = true;
    }

    /**
     * Drops input pipelined in clear text (CVE-2011-0411 class), writes {@code goAhead} and starts the
     * server-side handshake; with {@code afterHandshake}, reads nothing until TLS is up, then runs it and
     * reads on.
     */
    protected void startTls(TlsContextProvider tls, String goAhead, Runnable afterHandshake) {
        framer.clear();
        var handshake = StartTls.begin(ctx, tls, goAhead);
        tlsActive = true;
        if (afterHandshake != null) {
            busy = true;
            handshake.addListener(f -> {
                if (f.isSuccess()) {
                    afterHandshake.run();
                    resume();
                }
            });
        }
    }

    // ---------------------------------------------------------------- state

    public ChannelHandlerContext netty() {
        return ctx;
    }

    public String remoteIp() {
        return remoteIp;
    }

    public boolean tlsActive() {
        return tlsActive;
    }
}
