package io.mailfleet.protocols.managesieve;

import io.mailfleet.core.service.SessionLease;
import io.mailfleet.core.service.SieveScriptStore.Refused;
import io.mailfleet.protocols.auth.LoginAttempts;
import io.mailfleet.protocols.auth.LoginPolicy;
import io.mailfleet.protocols.framing.LineFramer;
import io.mailfleet.protocols.managesieve.Tokens.Token;
import io.mailfleet.protocols.managesieve.handler.SieveCommands;
import io.mailfleet.protocols.managesieve.handler.SieveContext;
import io.mailfleet.protocols.netty.ChannelLogin;
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
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One ManageSieve connection (RFC 5804): framing of lines and literals into a command's words, the
 * login and its session registration, STARTTLS mechanics; the commands are in
 * {@code managesieve.handler}. Runs on its channel's event loop.
 */
final class ManageSieveSession extends ChannelInboundHandlerAdapter implements SieveContext {

    private static final Logger LOG = LoggerFactory.getLogger(ManageSieveSession.class);

    private final ManageSieveSettings settings;
    private final ManageSieveServices services;
    private final LoginPolicy loginPolicy;
    private boolean tlsActive;
    private ChannelHandlerContext ctx;
    private LineFramer framer;
    private SieveCommands commands;
    private String remoteIp = "";

    private CommandAssembler assembler;
    private boolean busy;
    private boolean hangingUp;
    private int badCommands;
    private Consumer<List<Token>> continuation;
    private String account;
    /** This session's entry in the session registry (listing and kicking only: no per-IP limit here). */
    private SessionLease session;
    /** Counts logins, so a registration answered after UNAUTHENTICATE or a new login is dropped. */
    private int logins;

    ManageSieveSession(ManageSieveSettings settings, ManageSieveServices services, LoginPolicy loginPolicy) {
        this.loginPolicy = loginPolicy;
        this.settings = settings;
        this.services = services;
    }

    // ---------------------------------------------------------------- channel events

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.framer = new LineFramer(ctx.alloc());
        this.assembler = new CommandAssembler(settings, framer);
        InetSocketAddress isa = io.mailfleet.protocols.netty.RemoteAddress.of(ctx.channel());
        if (isa != null && isa.getAddress() != null) {
            remoteIp = isa.getAddress().getHostAddress();
        }
        commands = new SieveCommands(this, new LoginAttempts(loginPolicy, services.guard().bans(), ctx, "managesieve"));
        commands.greet();
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
        endSession();
    }

    private void endSession() {
        logins++;
        if (session != null) {
            session.close();
            session = null;
        }
    }

    @Override
    public void loggedIn(String user) {
        account = user;
        ChannelLogin.markAuthenticated(ctx.channel(), account);
        registerSession(account);
    }

    @Override
    public void loggedOut() {
        account = null;
        ChannelLogin.clear(ctx.channel());
        endSession();
    }

    /** Registers the logged-in session without delaying the reply: it is only listed, never refused. */
    private void registerSession(String user) {
        int login = ++logins;
        services.sessions().open(user, "managesieve", remoteIp, 0, this::kickedByOperator)
                .whenCompleteAsync((lease, err) -> {
                    if (err != null) {
                        LOG.warn("ManageSieve session of {} not registered: {}", user, err.toString());
                    } else if (lease.isPresent() && (login != logins || !ctx.channel().isActive())) {
                        lease.get().close();
                    } else {
                        session = lease.orElse(null);
                    }
                }, ctx.executor());
    }

    /** Called on any thread when an operator kicks this session: say goodbye (RFC 5804 BYE) and close. */
    private void kickedByOperator() {
        ctx.executor().execute(() -> {
            if (ctx.channel().isActive()) {
                LOG.info("ManageSieve session of {} from {} kicked by an operator", account, remoteIp);
                ctx.writeAndFlush(text("BYE \"Disconnected by the administrator.\"\r\n"))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.writeAndFlush(text("BYE \"Disconnected for inactivity.\"\r\n")).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("ManageSieve connection from {} failed: {}", remoteIp, cause.toString());
        ctx.close();
    }

    // ---------------------------------------------------------------- framing

    private void process() {
        while (!busy && !hangingUp && framer.isReadable() && ctx.channel().isActive()) {
            if (framer.counting()) {
                ByteBuf chunk = framer.readCounted();
                assembler.literal(chunk, !framer.counting());
                continue;
            }
            LineFramer.Line line = framer.readLine(settings.maxLineLength());
            if (line == null) {
                break;
            }
            if (line.tooLong()) {
                assembler.reset();
                bad("Command line too long.");
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
        CommandAssembler.Read read = assembler.line(line);
        if (read instanceof CommandAssembler.Refused r) {
            if (r.endsExchange()) {
                continuation = null;
            }
            bad(r.reply());
        } else if (read instanceof CommandAssembler.Command c) {
            if (continuation != null) {
                Consumer<List<Token>> next = continuation;
                continuation = null;
                next.accept(c.words());
                return;
            }
            commands.dispatch(c.words());
        }
    }

    // ---------------------------------------------------------------- output

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    @Override
    public void reply(String line) {
        ctx.writeAndFlush(text(line + "\r\n"));
    }

    @Override
    public void ok(String message) {
        reply("OK " + Tokens.string(message));
    }

    @Override
    public void no(String code, String message) {
        reply("NO " + (code == null || code.isEmpty() ? "" : "(" + code + ") ") + Tokens.string(message));
    }

    @Override
    public void bad(String replyLine) {
        reply(replyLine.startsWith("NO") || replyLine.startsWith("BYE") ? replyLine : "NO " + Tokens.string(replyLine));
        if (++badCommands >= settings.maxBadCommands()) {
            closeWith("BYE \"Too many invalid commands.\"\r\n");
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

    private void resume() {
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
            if (!ctx.channel().isActive()) {
                return;
            }
            if (err != null) {
                Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                if (e instanceof Refused r) {
                    no(r.code(), r.getMessage());
                } else {
                    LOG.warn("ManageSieve command failed for {} from {}: {}", account, remoteIp, e.toString());
                    no("TRYLATER", "Internal error occurred. Refer to server log for more information.");
                }
                resume();
                return;
            }
            try {
                onOk.accept(v);
            } catch (RuntimeException e) {
                LOG.warn("ManageSieve command failed for {} from {}: {}", account, remoteIp, e.toString(), e);
                no("TRYLATER", "Internal error occurred. Refer to server log for more information.");
            }
            resume();
        }, ctx.executor());
    }

    @Override
    public void continueWith(Consumer<List<Token>> next) {
        continuation = next;
    }

    @Override
    public void startTls(Runnable afterHandshake) {
        // Anything pipelined after STARTTLS was sent in clear text: discard it (CVE-2011-0411 class).
        framer.clear();
        assembler.reset();
        SslHandler ssl = services.tls().newHandler(ctx.alloc(), true);
        ctx.pipeline().addFirst("tls", ssl);
        ctx.writeAndFlush(text("OK \"Begin TLS negotiation now.\"\r\n"));
        tlsActive = true;
        busy = true;
        ssl.handshakeFuture().addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
                return;
            }
            afterHandshake.run();
            resume();
        });
    }

    // ---------------------------------------------------------------- state for the handlers

    @Override
    public ManageSieveSettings settings() {
        return settings;
    }

    @Override
    public ManageSieveServices services() {
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
    public boolean tlsActive() {
        return tlsActive;
    }

    @Override
    public String account() {
        return account;
    }
}
