package io.mailfleet.protocols.managesieve;

import io.mailfleet.core.service.SessionLease;
import io.mailfleet.core.service.SieveScriptStore.Refused;
import io.mailfleet.protocols.auth.LoginAttempts;
import io.mailfleet.protocols.auth.LoginPolicy;
import io.mailfleet.protocols.managesieve.Tokens.Token;
import io.mailfleet.protocols.managesieve.handler.SieveCommands;
import io.mailfleet.protocols.managesieve.handler.SieveContext;
import io.mailfleet.protocols.netty.ChannelLogin;
import io.mailfleet.protocols.netty.LineSession;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One ManageSieve connection (RFC 5804): lines and literals assembled into a command's words, the
 * login and its session registration, on the line plumbing of {@link LineSession}; the commands are
 * in {@code managesieve.handler}. Runs on its channel's event loop.
 */
final class ManageSieveSession extends LineSession implements SieveContext {

    private final ManageSieveSettings settings;
    private final ManageSieveServices services;
    private final LoginPolicy loginPolicy;
    private SieveCommands commands;

    private CommandAssembler assembler;
    private Consumer<List<Token>> continuation;
    private String account;
    /** This session's entry in the session registry (listing and kicking only: no per-IP limit here). */
    private SessionLease session;
    /** Counts logins, so a registration answered after UNAUTHENTICATE or a new login is dropped. */
    private int logins;

    ManageSieveSession(ManageSieveSettings settings, ManageSieveServices services, LoginPolicy loginPolicy) {
        super("ManageSieve", settings.maxLineLength(), settings.maxBadCommands(), false);
        this.loginPolicy = loginPolicy;
        this.settings = settings;
        this.services = services;
    }

    // ---------------------------------------------------------------- channel events

    @Override
    protected void opened() {
        this.assembler = new CommandAssembler(settings, framer);
        commands = new SieveCommands(this, new LoginAttempts(loginPolicy, services.guard().bans(), ctx, "managesieve"));
        commands.greet();
    }

    @Override
    protected void ended() {
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
                        log.warn("ManageSieve session of {} not registered: {}", user, err.toString());
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
                log.info("ManageSieve session of {} from {} kicked by an operator", account, remoteIp);
                ctx.writeAndFlush(text("BYE \"Disconnected by the administrator.\"\r\n"))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    @Override
    protected String idleGoodbye() {
        return "BYE \"Disconnected for inactivity.\"\r\n";
    }

    @Override
    protected String tooManyBadCommands() {
        return "BYE \"Too many invalid commands.\"\r\n";
    }

    // ---------------------------------------------------------------- framing

    @Override
    protected void onCounted(ByteBuf chunk, boolean last) {
        assembler.literal(chunk, last);
    }

    @Override
    protected void lineTooLong() {
        assembler.reset();
        bad("Command line too long.");
    }

    @Override
    protected void onLine(String line) {
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
        badReply(replyLine.startsWith("NO") || replyLine.startsWith("BYE") ? replyLine : "NO " + Tokens.string(replyLine));
    }

    @Override
    public <T> void async(CompletionStage<T> stage, Consumer<T> onOk) {
        pauseUntil(stage, (v, e) -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            if (e != null) {
                if (e instanceof Refused r) {
                    no(r.code(), r.getMessage());
                } else {
                    log.warn("ManageSieve command failed for {} from {}: {}", account, remoteIp, e.toString());
                    no("TRYLATER", "Internal error occurred. Refer to server log for more information.");
                }
                resume();
                return;
            }
            try {
                onOk.accept(v);
            } catch (RuntimeException ex) {
                log.warn("ManageSieve command failed for {} from {}: {}", account, remoteIp, ex.toString(), ex);
                no("TRYLATER", "Internal error occurred. Refer to server log for more information.");
            }
            resume();
        });
    }

    @Override
    public void continueWith(Consumer<List<Token>> next) {
        continuation = next;
    }

    @Override
    public void startTls(Runnable afterHandshake) {
        assembler.reset();
        startTls(services.tls(), "OK \"Begin TLS negotiation now.\"\r\n", afterHandshake);
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
    public String account() {
        return account;
    }
}
