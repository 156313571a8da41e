package io.mailfleet.protocols.imap;

import io.mailfleet.core.imap.SearchKey;
import io.mailfleet.core.service.HeavyWorkGate;
import io.netty.channel.ChannelHandlerContext;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Where SEARCH, SORT and THREAD run: a search of flags, sizes or sequence numbers is cheap and runs
 * at once on the session's event loop; one that reads message content (header fields, TEXT, BODY),
 * and every SORT and THREAD, waits for a permit of the node's {@link HeavyWorkGate} and runs on its
 * threads over a snapshot of the selected folder, so neither event loops nor the heap are taken by
 * one user's expensive commands.
 */
public final class HeavyCommands {

    private HeavyCommands() {
    }

    /** Work over the selected folder's messages. */
    @FunctionalInterface
    public interface Work<T> {
        T run(SelectedFolder folder) throws IOException;
    }

    /** What the work returned, or what it threw. */
    public record Result<T>(T value, Throwable failure) {
    }

    /** True when evaluating {@code key} reads message bytes from the blob store. */
    public static boolean readsContent(SearchKey key) {
        if (key instanceof SearchKey.Header || key instanceof SearchKey.Text) {
            return true;
        } else if (key instanceof SearchKey.And and) {
            return and.keys().stream().anyMatch(HeavyCommands::readsContent);
        } else if (key instanceof SearchKey.Or or) {
            return readsContent(or.a()) || readsContent(or.b());
        } else if (key instanceof SearchKey.Not not) {
            return readsContent(not.key());
        }
        return false;
    }

    /**
     * Runs {@code work}; {@code done} gets the result on the event loop of {@code ctx}. When the work
     * goes to the gate, {@code suspended} runs first (the session stops reading commands).
     */
    public static <T> void run(ChannelHandlerContext ctx, HeavyWorkGate gate, String account, SelectedFolder folder,
                        boolean expensive, Work<T> work, Consumer<Result<T>> done, Runnable suspended) {
        if (!expensive) {
            done.accept(call(work, folder));
            return;
        }
        SelectedFolder snapshot = folder.snapshot();
        suspended.run();
        gate.submit(account, () -> call(work, snapshot)).whenCompleteAsync((result, err) ->
                done.accept(err != null ? new Result<>(null, err) : result), ctx.executor());
    }

    private static <T> Result<T> call(Work<T> work, SelectedFolder folder) {
        try {
            return new Result<>(work.run(folder), null);
        } catch (IOException | RuntimeException e) {
            return new Result<>(null, e);
        }
    }
}
