package io.mailfleet.protocols.flow;

import io.netty.channel.ChannelHandlerContext;

/**
 * Lets a channel's input flow only while its consumer has {@link Demand}: without demand it turns
 * Netty's {@code autoRead} off, and when demand returns it turns it back on and resumes the session
 * on the event loop. What was already read stays buffered in the session's framer.
 */
public final class ReadGate {

    private final ChannelHandlerContext ctx;
    private final Runnable resume;
    private boolean waiting;

    /** @param resume goes on consuming buffered input; runs on the event loop */
    public ReadGate(ChannelHandlerContext ctx, Runnable resume) {
        this.ctx = ctx;
        this.resume = resume;
    }

    /**
     * True when input may be consumed now; otherwise stops reading until {@code consumer} has demand
     * again. Called on the event loop.
     */
    public boolean admits(Demand consumer) {
        if (waiting) {
            return false;
        }
        if (consumer.hasDemand()) {
            return true;
        }
        waiting = true;
        ctx.channel().config().setAutoRead(false);
        consumer.onDemand(() -> ctx.executor().execute(() -> {
            waiting = false;
            if (ctx.channel().isActive()) {
                ctx.channel().config().setAutoRead(true);
                resume.run();
            }
        }));
        return false;
    }

    /** True while input is held back for lack of demand. */
    public boolean waiting() {
        return waiting;
    }
}
