package io.mailfleet.protocols.imap;

import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.mailbox.MailboxException;
import io.mailfleet.protocols.auth.LoginAttempts;
import io.mailfleet.protocols.imap.handler.CommandTable;
import io.mailfleet.protocols.imap.handler.FolderUpdates;
import io.mailfleet.protocols.imap.handler.ImapContext;
import io.mailfleet.protocols.imap.handler.ImapState;
import io.mailfleet.protocols.imap.handler.SessionState;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The side of an IMAP connection that command handlers see ({@link ImapContext}): the connection
 * state, the end of every command (pending untagged updates, then the tagged reply, then the next
 * command) and the dispatch of a framed command to {@link CommandTable}. One per {@link ImapSession},
 * on its event loop.
 */
final class SessionContext implements ImapContext {

    /** The session's logger name, as before commands moved here: log configurations keep working. */
    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);

    /** Commands that read the selected folder's view by sequence number or report its state. */
    private static final Set<String> FRESH_VIEW_COMMANDS =
            Set.of("FETCH", "STORE", "SEARCH", "SORT", "THREAD", "COPY", "MOVE", "UID");

    private final ImapSession connection;
    private final ImapSettings settings;
    private final ImapServices services;
    private final ChannelHandlerContext ctx;
    private final String remoteIp;
    private final SessionState session;
    private final FolderUpdates updates;
    private final CommandTable commands;
    private final ImapFetch fetch;
    /** A BYE was written: no other untagged response may follow it (RFC 3501 §7.1.5). */
    private boolean byeSent;

    SessionContext(ImapSession connection, ChannelHandlerContext ctx, String remoteIp, ImapSettings settings,
                   ImapServices services, SessionState session, AuthCache authCache, LoginAttempts logins) {
        this.connection = connection;
        this.ctx = ctx;
        this.remoteIp = remoteIp;
        this.settings = settings;
        this.services = services;
        this.session = session;
        this.updates = new FolderUpdates(this);
        this.commands = new CommandTable(this, authCache, logins);
        this.fetch = new ImapFetch(services.blobs());
    }

    // ---------------------------------------------------------------- output

    @Override
    public void untagged(String s) {
        if (!byeSent) {
            ctx.write(ImapSession.text("* " + s + "\r\n"));
        }
    }

    @Override
    public void send(String raw) {
        ctx.writeAndFlush(ImapSession.text(raw));
    }

    @Override
    public void byeAndClose(String text) {
        if (!byeSent) {
            byeSent = true;
            ctx.writeAndFlush(ImapSession.text("* BYE " + text + "\r\n")).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void finish(String tag, String reply, boolean allowExpunge) {
        finish(tag, reply, allowExpunge, false);
    }

    /**
     * Ends a command; when the selected folder changed (or {@code forceSync}, for NOOP and CHECK) the
     * session first reconciles with the mailbox, so the untagged updates precede the tagged reply.
     */
    @Override
    public void finish(String tag, String reply, boolean allowExpunge, boolean forceSync) {
        if (!ctx.channel().isActive()) {
            return;
        }
        // A refused command reports no news: an EXISTS for a message the command was refused for
        // would contradict the refusal (the next command reconciles instead).
        if (session.selected != null && (updates.pending() || forceSync) && !reply.startsWith("BAD")) {
            suspend();
            updates.sync(() -> complete(tag, reply, allowExpunge));
            return;
        }
        complete(tag, reply, allowExpunge);
    }

    @Override
    public void logout(String tag) {
        untagged("BYE Logging out");
        byeSent = true;
        session.state = ImapState.LOGOUT;
        // no reconciliation and no pending EXPUNGE: nothing untagged may follow the BYE
        complete(tag, "OK Logout completed.", false);
    }

    private void complete(String tag, String reply, boolean allowExpunge) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (allowExpunge) {
            updates.flushDeferredExpunges();
        }
        ctx.writeAndFlush(ImapSession.text(tag + " " + replyText(reply) + "\r\n"));
        connection.busy(false);
        if (session.state == ImapState.LOGOUT) {
            ctx.close();
            return;
        }
        connection.resume();
    }

    /** Stops reading commands until the one running completes. */
    private void suspend() {
        connection.busy(true);
    }

    /**
     * A reply text is 7-bit (RFC 3501 TEXT-CHAR) unless UTF-8 is enabled: a mailbox name quoted in
     * an error message goes in modified UTF-7 then, as the client would write it.
     */
    private String replyText(String reply) {
        // a text quoting client input (a charset, a date) never breaks the response line
        reply = reply.replace('\r', ' ').replace('\n', ' ').replace('\0', ' ');
        if (session.utf8 || reply.chars().allMatch(c -> c < 0x7f)) {
            return reply;
        }
        return io.mailfleet.core.imap.ModifiedUtf7.encode(reply);
    }

    @Override
    public <T> void async(String tag, String name, CompletionStage<T> stage, Consumer<T> onOk) {
        suspend();
        stage.whenCompleteAsync((v, err) -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            if (err != null) {
                fail(tag, name, err);
                return;
            }
            try {
                onOk.accept(v);
            } catch (ImapParseException e) {
                finish(tag, "BAD Error in IMAP command " + name + ": " + e.getMessage(), true);
            } catch (RuntimeException e) {
                fail(tag, name, e);
            }
        }, ctx.executor());
    }

    @Override
    public void fail(String tag, String name, Throwable err) {
        Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (e instanceof MailboxException me) {
            finish(tag, "NO [" + me.code() + "] " + me.getMessage(), true);
        } else {
            LOG.warn("IMAP {} failed for {}: {}", name, session.account, e.toString());
            finish(tag, "NO [SERVERUNAVAILABLE] Internal error occurred. Refer to server log for more information.",
                    true);
        }
    }

    @Override
    public <T> void heavy(String tag, String name, boolean uid, boolean expensive, HeavyCommands.Work<T> work,
                         Consumer<T> onOk, Runnable onFailure) {
        HeavyCommands.run(ctx, services.heavyWork(), session.account, session.selected, expensive, work, result -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            if (result.failure() != null) {
                onFailure.run();
                if (!(result.failure() instanceof IOException)) {
                    LOG.warn("IMAP {} failed for {}: {}", name, session.account, result.failure().toString());
                }
                finish(tag, "NO [SERVERBUG] Internal error occurred reading messages.", uid);
                return;
            }
            try {
                onOk.accept(result.value());
            } catch (RuntimeException e) {
                fail(tag, name, e);
            }
        }, this::suspend);
    }

    // ---------------------------------------------------------------- dispatch

    /** Parses the tag and the name of a framed command and runs it (after reconciling when it must). */
    void dispatch(List<Object> command, List<BlobWriter> writers) {
        Args a = new Args(command);
        String tag;
        try {
            tag = a.atom();
            if (!ImapSession.validCommandTag(tag)) {
                throw new ImapParseException("invalid tag");
            }
            a.sp();
        } catch (ImapParseException e) {
            writers.forEach(BlobWriter::abort);
            ctx.writeAndFlush(ImapSession.text("* BAD Error in IMAP command received by server.\r\n"));
            return;
        }
        String name = "";
        try {
            name = a.atom().toUpperCase(Locale.ROOT);
        } catch (ImapParseException e) {
            writers.forEach(BlobWriter::abort);
            finish(tag, "BAD Error in IMAP command : " + e.getMessage(), true);
            return;
        }
        if (updates.pending() && FRESH_VIEW_COMMANDS.contains(name)) {
            // Sequence numbers the client sent may name messages it learnt of from another session's
            // change that this session has not reconciled yet: reconcile first (new messages only
            // extend the view, expunges stay deferred), so EXISTS n is never followed by a refusal of n.
            suspend();
            String verb = name;
            updates.sync(() -> run(tag, verb, a, writers));
            return;
        }
        run(tag, name, a, writers);
    }

    private void run(String tag, String name, Args a, List<BlobWriter> writers) {
        try {
            if (!name.equals("APPEND") && !writers.isEmpty()) {
                writers.forEach(BlobWriter::abort);
            }
            if (!commands.knows(name)) {
                finish(tag, "BAD Error in IMAP command " + name + ": Unknown command.", true);
                return;
            }
            commands.execute(tag, name, a);
        } catch (ImapParseException e) {
            writers.forEach(BlobWriter::abort);
            connection.busy(false);
            finish(tag, "BAD Error in IMAP command " + name + ": " + e.getMessage(), true);
        } catch (MailboxException e) {
            connection.busy(false);
            finish(tag, "NO [" + e.code() + "] " + e.getMessage(), true);
        } catch (RuntimeException e) {
            LOG.warn("IMAP {} failed: {}", name, e.toString(), e);
            writers.forEach(BlobWriter::abort);
            connection.busy(false);
            finish(tag, "BAD Error in IMAP command " + name + ": " + e.getMessage(), true);
        }
    }

    // ---------------------------------------------------------------- what handlers see

    @Override
    public ImapSettings settings() {
        return settings;
    }

    @Override
    public ImapServices services() {
        return services;
    }

    @Override
    public SessionState session() {
        return session;
    }

    @Override
    public FolderUpdates updates() {
        return updates;
    }

    @Override
    public ChannelHandlerContext netty() {
        return ctx;
    }

    @Override
    public String remoteIp() {
        return remoteIp;
    }

    @Override
    public void continueWith(Consumer<String> next) {
        connection.continueWith(next);
        if (connection.isBusy()) {
            // A challenge sent from an asynchronous step (the RFC 7628 error after a token check):
            // the session reads again, and the next line goes to the continuation.
            connection.busy(false);
            connection.resume();
        }
    }

    @Override
    public void idle(String tag) {
        connection.idle(tag);
    }

    @Override
    public boolean idling() {
        return connection.idling();
    }

    @Override
    public void discardPendingInput() {
        connection.discardPendingInput();
    }

    @Override
    public ByteBuf takePendingInput() {
        return connection.takePendingInput();
    }

    @Override
    public void runFetch(SelectedFolder folder, List<Integer> targets, List<FetchItem> items,
                         Consumer<Throwable> done) {
        // Blob reads run off the event loop; the session stays busy until the tagged reply.
        connection.busy(true);
        new FetchRun(fetch, ctx, folder, targets, items, () -> session.selected == folder && !byeSent, err -> {
            if (!byeSent) {
                done.accept(err);
            }
        }).start();
    }
}
