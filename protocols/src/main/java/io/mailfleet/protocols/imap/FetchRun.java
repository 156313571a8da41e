package io.mailfleet.protocols.imap;

import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.protocols.netty.BlockingReads;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Writes the responses of one FETCH command, message by message, without ever blocking the event
 * loop: a message whose response needs bytes before it can be written (see
 * {@link ImapFetch#needsRead}) has them read on {@link BlockingReads}, then its response is rendered
 * on the loop; message bodies stream off the loop as well. Responses keep their order, and once
 * {@link #QUEUED_LIMIT} bytes are queued the run waits until the socket has taken them, so a FETCH of
 * a whole mailbox neither holds the loop nor piles up in memory.
 */
final class FetchRun {

    /** Bytes queued for the socket before the run waits for them to be written. */
    static final int QUEUED_LIMIT = 256 * 1024;

    private final ImapFetch fetch;
    private final ChannelHandlerContext ctx;
    private final SelectedFolder folder;
    private final List<Integer> targets;
    private final List<FetchItem> items;
    private final BooleanSupplier proceed;
    private final Consumer<Throwable> done;
    private int next;
    private long mark;

    /**
     * @param targets zero-based indexes into {@code folder}'s messages, in response order
     * @param proceed checked before each message: false ends the run early (mailbox closed, BYE sent)
     * @param done    called once on the loop when the run ends: null, or what made it fail (the text
     *                of the responses before the failure is written)
     */
    FetchRun(ImapFetch fetch, ChannelHandlerContext ctx, SelectedFolder folder, List<Integer> targets,
             List<FetchItem> items, BooleanSupplier proceed, Consumer<Throwable> done) {
        this.fetch = fetch;
        this.ctx = ctx;
        this.folder = folder;
        this.targets = targets;
        this.items = items;
        this.proceed = proceed;
        this.done = done;
    }

    /** Starts writing; when no message needs a read first, the run ends before this returns. */
    void start() {
        mark = fetch.queued();
        resume();
    }

    private void resume() {
        while (next < targets.size()) {
            if (!ctx.channel().isActive()) {
                return;
            }
            int i = targets.get(next);
            if (!proceed.getAsBoolean() || i >= folder.count()) {
                break;
            }
            MessageView m = folder.messages.get(i);
            if (fetch.needsRead(m, items)) {
                BlockingReads.submit(() -> fetch.plan(m, items)).whenComplete((parts, err) ->
                        ctx.executor().execute(() -> planned(i, m, parts, err)));
                return;
            }
            try {
                fetch.write(ctx, i + 1, m, folder, items, fetch.plan(m, items));
            } catch (Exception e) {
                fail(e);
                return;
            }
            if (!written()) {
                return;
            }
        }
        fetch.drain(ctx);
        done.accept(null);
    }

    /** On the loop: the reads for message {@code i} are done. */
    private void planned(int i, MessageView m, ImapFetch.Part[] parts, Throwable err) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (err != null) {
            fail(err instanceof CompletionException && err.getCause() != null ? err.getCause() : err);
            return;
        }
        if (proceed.getAsBoolean() && i < folder.count()) {
            try {
                fetch.write(ctx, i + 1, folder.messages.get(i), folder, items, parts);
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            if (!written()) {
                return;
            }
            resume();
            return;
        }
        fetch.drain(ctx);
        done.accept(null);
    }

    /**
     * Counts message {@code next} as written; false when the run waits for the socket to take what
     * is queued and goes on by itself once it has.
     */
    private boolean written() {
        next++;
        if (fetch.queued() - mark < QUEUED_LIMIT || next >= targets.size()) {
            return true;
        }
        fetch.drain(ctx);
        mark = fetch.queued();
        // Completes once everything queued before it (text and streamed bodies) is on the wire.
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (f.isSuccess()) {
                resume();
            } else if (ctx.channel().isActive()) {
                done.accept(f.cause());
            }
        });
        return false;
    }

    private void fail(Throwable e) {
        fetch.drain(ctx);
        done.accept(e);
    }
}
