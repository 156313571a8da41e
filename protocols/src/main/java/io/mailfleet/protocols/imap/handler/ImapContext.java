package io.mailfleet.protocols.imap.handler;

import io.mailfleet.protocols.imap.FetchItem;
import io.mailfleet.protocols.imap.HeavyCommands;
import io.mailfleet.protocols.imap.ImapServices;
import io.mailfleet.protocols.imap.ImapSettings;
import io.mailfleet.protocols.imap.SelectedFolder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * What a command handler may do with its session: read and change the connection state, write
 * responses and end the command. Every method runs on the session's event loop.
 */
public interface ImapContext {

    ImapSettings settings();

    ImapServices services();

    /** The connection state (event loop only). */
    SessionState session();

    /** The selected folder's view and the untagged updates other sessions' changes cause. */
    FolderUpdates updates();

    /** The channel handler context of the session (event loop, pipeline, allocator). */
    ChannelHandlerContext netty();

    String remoteIp();

    /** Queues {@code * response} unless a BYE was sent. */
    void untagged(String response);

    /** Writes and flushes {@code raw} as it is (a continuation request, a tagged reply sent ahead of a switch). */
    void send(String raw);

    /** Writes {@code * BYE text} and closes the connection; nothing untagged follows it. */
    void byeAndClose(String text);

    /** Ends the command: pending updates (expunges only when {@code allowExpunge}), then the tagged reply. */
    void finish(String tag, String reply, boolean allowExpunge);

    /** As above; {@code forceSync} reconciles the selected folder first even without a notification. */
    void finish(String tag, String reply, boolean allowExpunge, boolean forceSync);

    /** Ends LOGOUT: the BYE, the tagged OK, nothing else, then the connection closes. */
    void logout(String tag);

    /**
     * Suspends reading commands until {@code stage} completes, then runs {@code onOk} on the event
     * loop; a failure ends the command with NO (BAD for a grammar error found late).
     */
    <T> void async(String tag, String name, CompletionStage<T> stage, Consumer<T> onOk);

    /** Ends the command with the NO that {@code err} stands for. */
    void fail(String tag, String name, Throwable err);

    /** Runs work over the selected folder, off the event loop when {@code expensive} (see {@link HeavyCommands}). */
    <T> void heavy(String tag, String name, boolean uid, boolean expensive, HeavyCommands.Work<T> work,
                   Consumer<T> onOk, Runnable onFailure);

    /**
     * The next line the client sends goes to {@code next} instead of being parsed as a command; null
     * when that line was longer than the line limit.
     */
    void continueWith(Consumer<String> next);

    /** Enters IDLE for the command {@code tag}: the next line must be DONE. */
    void idle(String tag);

    /** True while an IDLE command runs. */
    boolean idling();

    /** Drops input received but not read yet (what was pipelined after STARTTLS in clear text). */
    void discardPendingInput();

    /** Takes input received but not read yet (what was pipelined after COMPRESS, still compressed). */
    ByteBuf takePendingInput();

    /**
     * Writes {@code * seq FETCH (...)} for {@code targets} (zero-based indexes into {@code folder}) in
     * order, reading message bytes off the event loop; the session reads no command meanwhile.
     * {@code done} runs once on the loop: with null, or with what made the run fail. It is not called
     * when the session said BYE meanwhile (nothing may follow BYE).
     */
    void runFetch(SelectedFolder folder, java.util.List<Integer> targets, java.util.List<FetchItem> items,
                  java.util.function.Consumer<Throwable> done);
}
