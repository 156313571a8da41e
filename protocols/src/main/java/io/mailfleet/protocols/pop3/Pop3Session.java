package io.mailfleet.protocols.pop3;

import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.core.service.SessionLease;
import io.mailfleet.protocols.auth.LoginAttempts;
import io.mailfleet.protocols.auth.LoginPolicy;
import io.mailfleet.protocols.framing.LineFramer;
import io.mailfleet.protocols.pop3.handler.Pop3Commands;
import io.mailfleet.protocols.pop3.handler.Pop3Context;
import io.mailfleet.protocols.pop3.handler.Pop3State;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One POP3 connection: line framing, the RFC 1939 state, pipelined commands in order, the maildrop
 * lock and the session lease; the commands are in {@code pop3.handler}. The maildrop is the INBOX as
 * it was at login; deletions are only marks until QUIT, so a dropped connection changes nothing.
 * Runs on its channel's event loop.
 */
final class Pop3Session extends ChannelInboundHandlerAdapter implements Pop3Context {

    private static final Logger LOG = LoggerFactory.getLogger(Pop3Session.class);

    private final Pop3Settings settings;
    private final Pop3Services services;
    private final LoginPolicy loginPolicy;
    private boolean tlsActive;
    private ChannelHandlerContext ctx;
    private LineFramer framer;
    private Pop3Commands commands;
    private String remoteIp = "";
    private boolean busy;
    private int badCommands;
    private boolean hangingUp;

    private Pop3State state = Pop3State.AUTHORIZATION;
    private Consumer<String> continuation;
    private String account;
    private Runnable release;
    /** This session's entry in the cluster-wide session registry, once authenticated. */
    private SessionLease session;
    private boolean closed;

    Pop3Session(Pop3Settings settings, Pop3Services services, boolean tlsActive, LoginPolicy loginPolicy) {
        this.loginPolicy = loginPolicy;
        this.settings = settings;
        this.services = services;
        this.tlsActive = tlsActive;
    }

    // ---------------------------------------------------------------- channel events

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.framer = new LineFramer(ctx.alloc());
        InetSocketAddress isa = io.mailfleet.protocols.netty.RemoteAddress.of(ctx.channel());
        if (isa != null && isa.getAddress() != null) {
            remoteIp = isa.getAddress().getHostAddress();
        }
        commands = new Pop3Commands(this, new LoginAttempts(loginPolicy, services.guard().bans(), ctx, "pop3"));
        ctx.writeAndFlush(text("+OK Mailfleet ready.\r\n"));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        framer.add((ByteBuf) msg);
        process();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (framer != null) {
            framer.release();
        }
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
                LOG.info("POP3 session of {} from {} kicked by an operator", account, remoteIp);
                ctx.close();
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.writeAndFlush(text("-ERR Disconnected for inactivity.\r\n")).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("POP3 connection from {} failed: {}", remoteIp, cause.toString());
        ctx.close();
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

    private void process() {
        while (!busy && !hangingUp && framer.isReadable() && ctx.channel().isActive()) {
            LineFramer.Line line = framer.readLine(settings.maxLineLength());
            if (line == null) {
                break;
            }
            if (line.tooLong()) {
                bad("-ERR Line too long.");
                continue;
            }
            onLine(line.text());
        }
        framer.compact();
        if (ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(!busy);
        }
    }

    private void onLine(String line) {
        if (continuation != null) {
            Consumer<String> c = continuation;
            continuation = null;
            c.accept(line);
            return;
        }
        commands.dispatch(line);
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    @Override
    public void reply(String line) {
        ctx.writeAndFlush(text(line + "\r\n"));
    }

    @Override
    public void send(String raw) {
        ctx.writeAndFlush(text(raw));
    }

    @Override
    public void bad(String line) {
        reply(line);
        if (++badCommands >= settings.maxBadCommands()) {
            closeWith("-ERR Too many bad commands.\r\n");
        }
    }

    @Override
    public void closeWith(String raw) {
        ctx.writeAndFlush(text(raw)).addListener(ChannelFutureListener.CLOSE);
        hangingUp = true;
    }

    @Override
    public void hangUp() {
        hangingUp = true;
    }

    @Override
    public void resume() {
        busy = false;
        if (ctx.channel().isActive()) {
            process();
        }
    }

    @Override
    public <T> void async(CompletionStage<T> stage, Consumer<T> onOk) {
        busy = true;
        ctx.channel().config().setAutoRead(false);
        stage.whenCompleteAsync((v, err) -> {
            if (err != null) {
                Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                LOG.warn("POP3 command failed for {} from {}: {}", account, remoteIp, e.toString());
                internalError();
                return;
            }
            try {
                onOk.accept(v);
            } catch (RuntimeException e) {
                LOG.warn("POP3 command failed for {} from {}: {}", account, remoteIp, e.toString(), e);
                internalError();
            }
        }, ctx.executor());
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
        // Anything pipelined after STLS was sent in clear text: discard it (CVE-2011-0411 class).
        framer.clear();
        SslHandler ssl = services.tls().newHandler(ctx.alloc(), true);
        ctx.pipeline().addFirst("tls", ssl);
        // The handler passes this first write in clear text (startTls mode), then negotiates.
        ctx.writeAndFlush(text("+OK Begin TLS negotiation now.\r\n"));
        tlsActive = true;
        ssl.handshakeFuture().addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
            }
        });
    }

    /** Streams a message; the next pipelined command waits until it is written (backpressure). */
    @Override
    public void sendMessage(String status, MessageView m, long bodyLines) {
        busy = true;
        ctx.write(text(status + "\r\n"));
        ctx.writeAndFlush(new MessageChunks(services.blobs(), m.blob(), bodyLines).on(ctx.channel())).addListener(f -> {
            if (!f.isSuccess()) {
                // The status line is out, so the only honest signal left is closing the connection.
                LOG.warn("POP3 cannot send message uid {} of {}: {}", m.uid(), account, f.cause().toString());
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
    public ChannelHandlerContext netty() {
        return ctx;
    }

    @Override
    public String remoteIp() {
        return remoteIp;
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
    public boolean tlsActive() {
        return tlsActive;
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
