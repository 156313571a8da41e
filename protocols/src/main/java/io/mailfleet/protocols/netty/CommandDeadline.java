package io.mailfleet.protocols.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The inactivity timeout of every protocol session, counted in whole lines rather than bytes: the
 * clock restarts only when a line end (LF) arrives, so a client trickling one byte at a time cannot
 * keep a session open (Netty's IdleStateHandler restarts on every read). Command lines, message
 * lines in SMTP DATA and BDAT and in IMAP literals all end in LF, so a slow but moving upload keeps
 * its session. When the time is up the session receives an {@link IdleStateEvent} and says its own
 * goodbye (SMTP {@code 421 4.4.2}, IMAP {@code * BYE}, ...); the clock then restarts, so a session
 * busy with its own work at that moment is asked again one timeout later.
 * Sits after the TLS handler, where it sees the clear text.
 */
public final class CommandDeadline extends ChannelInboundHandlerAdapter {

    private final long timeoutNanos;
    private long deadline;
    private boolean started;
    private boolean first = true;
    private ScheduledFuture<?> timer;

    public CommandDeadline(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the command timeout must be positive, got " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf b) || b.indexOf(b.readerIndex(), b.writerIndex(), (byte) '\n') >= 0) {
            deadline = System.nanoTime() + timeoutNanos;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        deadline = System.nanoTime() + timeoutNanos;
        schedule(ctx, timeoutNanos);
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        if (!ctx.channel().isOpen()) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            schedule(ctx, left);
            return;
        }
        deadline = System.nanoTime() + timeoutNanos;
        schedule(ctx, timeoutNanos);
        IdleStateEvent evt = first ? IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT : IdleStateEvent.READER_IDLE_STATE_EVENT;
        first = false;
        ctx.fireUserEventTriggered(evt);
    }

    private void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
