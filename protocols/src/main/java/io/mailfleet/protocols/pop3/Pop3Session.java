package io.mailfleet.protocols.pop3;

import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.core.service.SessionLease;
import io.mailfleet.protocols.auth.LoginAttempts;
import io.mailfleet.protocols.auth.LoginPolicy;
import io.mailfleet.protocols.netty.LineSession;
import io.mailfleet.protocols.pop3.handler.Pop3Commands;
import io.mailfleet.protocols.pop3.handler.Pop3Context;
import io.mailfleet.protocols.pop3.handler.Pop3State;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One POP3 connection: the RFC 1939 state, pipelined commands in order, the maildrop lock and the
 * session lease, on the line plumbing of {@link LineSession}; the commands are in {@code pop3.handler}.
 * The maildrop is the INBOX as it was at login; deletions are only marks until QUIT, so a dropped
 * connection changes nothing. Runs on its channel's event loop.
 */
final class Pop3Session extends LineSession implements Pop3Context {

    private final Pop3Settings settings;
    private final Pop3Services services;
    private final LoginPolicy loginPolicy;
    private Pop3Commands commands;

    private Pop3State state = Pop3State.AUTHORIZATION;
    private Consumer<String> continuation;
    private String account;
    private Runnable release;
    /** This session's entry in the cluster-wide session registry, once authenticated. */
    private SessionLease session;
    private boolean closed;

    Pop3Session(Pop3Settings settings, Pop3Services services, boolean tlsActive, LoginPolicy loginPolicy) {
        super("POP3", settings.maxLineLength(), settings.maxBadCommands(), tlsActive);
        this.loginPolicy = loginPolicy;
        this.settings = settings;
        this.services = services;
    }

    // ---------------------------------------------------------------- channel events

    @Override
    protected void opened() {
        commands = new Pop3Commands(this, new LoginAttempts(loginPolicy, services.guard().bans(), ctx, "pop3"));
        ctx.writeAndFlush(text("+OK Mailfleet ready.\r\n"));
    }

    @Override
    protected void ended() {
        closed = true;
        // A dropped connection never reaches UPDATE: marks are forgotten, only the lock is given back.
        releaseLock();
        endSession();
    }

    @Override
    public void endSession() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    /** Called on any thread when an operator kicks this session: POP3 has no untagged goodbye, so just close. */
    @Override
    public void kickedByOperator() {
        ctx.executor().execute(() -> {
            if (ctx.channel().isActive()) {
                log.info("POP3 session of {} from {} kicked by an operator", account, remoteIp);
                ctx.close();
            }
        });
    }

    @Override
    protected String idleGoodbye() {
        return "-ERR Disconnected for inactivity.\r\n";
    }

    @Override
    protected String tooManyBadCommands() {
        return "-ERR Too many bad commands.\r\n";
    }

    @Override
    public void releaseLock() {
        if (release != null) {
            Runnable r = release;
            release = null;
            r.run();
        }
    }

    // ---------------------------------------------------------------- framing

    @Override
    protected void lineTooLong() {
        bad("-ERR Line too long.");
    }

    @Override
    protected void onLine(String line) {
        if (continuation != null) {
            Consumer<String> c = continuation;
            continuation = null;
            c.accept(line);
            return;
        }
        commands.dispatch(line);
    }

    @Override
    public void bad(String line) {
        badReply(line);
    }

    @Override
    public <T> void async(CompletionStage<T> stage, Consumer<T> onOk) {
        pauseUntil(stage, (v, err) -> {
            if (err != null) {
                log.warn("POP3 command failed for {} from {}: {}", account, remoteIp, err.toString());
                internalError();
                return;
            }
            try {
                onOk.accept(v);
            } catch (RuntimeException e) {
                log.warn("POP3 command failed for {} from {}: {}", account, remoteIp, e.toString(), e);
                internalError();
            }
        });
    }

    private void internalError() {
        if (ctx.channel().isActive()) {
            reply("-ERR [SYS/TEMP] Internal error occurred. Refer to server log for more information.");
        }
        resume();
    }

    @Override
    public void continueWith(Consumer<String> next) {
        continuation = next;
    }

    @Override
    public void startTls() {
        startTls(services.tls(), "+OK Begin TLS negotiation now.\r\n", null);
    }

    /** Streams a message; the next pipelined command waits until it is written (backpressure). */
    @Override
    public void sendMessage(String status, MessageView m, long bodyLines) {
        pause();
        ctx.write(text(status + "\r\n"));
        ctx.writeAndFlush(new MessageChunks(services.blobs(), m.blob(), bodyLines).on(ctx.channel())).addListener(f -> {
            if (!f.isSuccess()) {
                // The status line is out, so the only honest signal left is closing the connection.
                log.warn("POP3 cannot send message uid {} of {}: {}", m.uid(), account, f.cause().toString());
                ctx.close();
                return;
            }
            resume();
        });
    }

    // ---------------------------------------------------------------- state for the handlers

    @Override
    public Pop3Settings settings() {
        return settings;
    }

    @Override
    public Pop3Services services() {
        return services;
    }

    @Override
    public Pop3State state() {
        return state;
    }

    @Override
    public void enter(Pop3State next) {
        state = next;
    }

    @Override
    public String account() {
        return account;
    }

    @Override
    public void account(String user) {
        account = user;
    }

    @Override
    public void keepSession(SessionLease lease) {
        session = lease;
    }

    @Override
    public boolean closed() {
        return closed;
    }

    @Override
    public void keepLock(Runnable lease) {
        release = lease;
    }
}
