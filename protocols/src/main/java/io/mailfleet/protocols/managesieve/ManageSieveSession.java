package io.mailfleet.protocols.managesieve;

import io.mailfleet.protocols.auth.LoginAttempts;
import io.mailfleet.protocols.auth.LoginPolicy;
import io.mailfleet.protocols.netty.ChannelLogin;
import io.mailfleet.protocols.sasl.SaslAuthentication;
import io.mailfleet.protocols.auth.SaslVerification;
import io.mailfleet.protocols.sasl.SaslCredentials;
import io.mailfleet.protocols.sasl.SaslMechanisms;
import io.mailfleet.protocols.sasl.SaslRefusal;
import io.mailfleet.protocols.sasl.SaslStep;
import io.mailfleet.protocols.sasl.TlsOnlyPolicy;
import io.mailfleet.core.service.Authenticator.AuthResult;
import io.mailfleet.core.service.SessionLease;
import io.mailfleet.core.service.SieveScriptStore.Refused;
import io.mailfleet.core.service.SieveScriptStore.ScriptInfo;
import io.mailfleet.core.sieve.ParseException;
import io.mailfleet.core.sieve.SieveCompiler;
import io.mailfleet.protocols.managesieve.Tokens.Token;
import io.mailfleet.protocols.framing.LineFramer;
import io.mailfleet.protocols.framing.LiteralMarker;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One ManageSieve connection (RFC 5804): framing of lines and literals, STARTTLS, SASL PLAIN and
 * LOGIN, and the script commands against the {@code SieveScriptStore}. Scripts are compiled before
 * they are stored, so a stored script always runs. Runs on its channel's event loop.
 */
final class ManageSieveSession extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ManageSieveSession.class);
    private static final int MAX_NAME_LENGTH = 256;

    private final ManageSieveSettings settings;
    private final ManageSieveServices services;
    private boolean tlsActive;
    private ChannelHandlerContext ctx;
    private LineFramer framer;
    private String remoteIp = "";

    private List<Object> parts = new ArrayList<>();
    private int commandLength;
    private ByteArrayOutputStream literal;
    private String rejectReply;
    private boolean busy;
    private boolean hangingUp;
    private int badCommands;
    private Consumer<List<Token>> continuation;
    private String account;
    /** This session's entry in the session registry (listing and kicking only: no per-IP limit here). */
    private SessionLease session;
    /** Counts logins, so a registration answered after UNAUTHENTICATE or a new login is dropped. */
    private int logins;

    private final LoginPolicy loginPolicy;
    private LoginAttempts loginAttempts;

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
        InetSocketAddress isa = io.mailfleet.protocols.netty.RemoteAddress.of(ctx.channel());
        if (isa != null && isa.getAddress() != null) {
            remoteIp = isa.getAddress().getHostAddress();
        }
        loginAttempts = new LoginAttempts(loginPolicy, services.guard().bans(), ctx, "managesieve");
        ctx.writeAndFlush(text(capabilities() + "OK \"Mailfleet ManageSieve ready.\"\r\n"));
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
                if (literal != null) {
                    byte[] b = new byte[chunk.readableBytes()];
                    chunk.readBytes(b);
                    literal.write(b, 0, b.length);
                }
                if (!framer.counting()) {
                    parts.add(literal == null ? new byte[0] : literal.toByteArray());
                    literal = null;
                }
                continue;
            }
            LineFramer.Line line = framer.readLine(settings.maxLineLength());
            if (line == null) {
                break;
            }
            if (line.tooLong()) {
                resetCommand();
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

    private void resetCommand() {
        parts = new ArrayList<>();
        commandLength = 0;
        rejectReply = null;
        literal = null;
    }

    private void onLine(String line) {
        commandLength += line.length();
        if (commandLength > settings.maxLineLength() * 4L) {
            resetCommand();
            bad("Command too long.");
            return;
        }
        LiteralMarker m = LiteralMarker.find(line, LiteralMarker.Syntax.MANAGESIEVE);
        if (m != null) {
            long n = m.octets();
            parts.add(line.substring(0, m.start()));
            // A script may be as large as the compile limit; every other string is far smaller.
            long limit = settings.limits().maxScriptSize() + 1024L;
            if (n > limit) {
                rejectReply = "NO (QUOTA/MAXSIZE) " + Tokens.string("Literal of " + n + " octets exceeds the limit of "
                        + limit + " octets.");
                literal = null;
            } else {
                literal = new ByteArrayOutputStream((int) Math.min(n, 8192));
            }
            framer.expect(n);
            if (n == 0) {
                parts.add(new byte[0]);
                literal = null;
            }
            return;
        }
        parts.add(line);
        List<Object> command = parts;
        String reject = rejectReply;
        resetCommand();
        if (reject != null) {
            continuation = null;
            bad(reject);
            return;
        }
        List<Token> tokens;
        try {
            tokens = Tokens.parse(command);
        } catch (IllegalArgumentException e) {
            continuation = null;
            bad("NO " + Tokens.string(e.getMessage()));
            return;
        }
        if (continuation != null) {
            Consumer<List<Token>> c = continuation;
            continuation = null;
            c.accept(tokens);
            return;
        }
        dispatch(tokens);
    }

    // ---------------------------------------------------------------- output

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    private void reply(String line) {
        ctx.writeAndFlush(text(line + "\r\n"));
    }

    private void ok(String message) {
        reply("OK " + Tokens.string(message));
    }

    private void no(String code, String message) {
        reply("NO " + (code == null || code.isEmpty() ? "" : "(" + code + ") ") + Tokens.string(message));
    }

    /** A client mistake: NO (or the given reply), and the connection ends after too many of them. */
    private void bad(String replyLine) {
        reply(replyLine.startsWith("NO") || replyLine.startsWith("BYE") ? replyLine : "NO " + Tokens.string(replyLine));
        if (++badCommands >= settings.maxBadCommands()) {
            ctx.writeAndFlush(text("BYE \"Too many invalid commands.\"\r\n")).addListener(ChannelFutureListener.CLOSE);
            hangingUp = true;
        }
    }

    private void resume() {
        busy = false;
        if (ctx.channel().isActive()) {
            process();
        }
    }

    private <T> void async(CompletionStage<T> stage, Consumer<T> onOk) {
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

    private boolean plaintextAllowed() {
        // Same rule as IMAP and POP3: without any certificate there is nothing to upgrade to.
        return TlsOnlyPolicy.secretsAllowed(tlsActive, services.tls().enabled());
    }

    String capabilities() {
        StringBuilder sb = new StringBuilder();
        sb.append("\"IMPLEMENTATION\" \"Mailfleet\"\r\n");
        sb.append("\"SASL\" \"").append(account == null ? SaslMechanisms.of(services.authenticator()).offeredList(plaintextAllowed()) : "")
                .append("\"\r\n");
        sb.append("\"SIEVE\" \"").append(String.join(" ", SieveCompiler.supportedExtensions())).append("\"\r\n");
        if (account == null && !tlsActive && services.tls().enabled()) {
            sb.append("\"STARTTLS\"\r\n");
        }
        sb.append("\"MAXREDIRECTS\" \"").append(settings.limits().maxRedirects()).append("\"\r\n");
        if (account != null) {
            sb.append("\"OWNER\" ").append(Tokens.string(account)).append("\r\n");
        }
        sb.append("\"UNAUTHENTICATE\"\r\n");
        sb.append("\"VERSION\" \"1.0\"\r\n");
        return sb.toString();
    }

    // ---------------------------------------------------------------- dispatch

    /** The arguments of a command, read in order. */
    private static final class Args {
        private final List<Token> tokens;
        private int next = 1;

        Args(List<Token> tokens) {
            this.tokens = tokens;
        }

        String string(String what) {
            if (next >= tokens.size() || tokens.get(next).atom()) {
                throw new IllegalArgumentException("Expected " + what + " as a string.");
            }
            return tokens.get(next++).value();
        }

        Optional<String> optionalString(String what) {
            return next < tokens.size() ? Optional.of(string(what)) : Optional.empty();
        }

        long number(String what) {
            if (next >= tokens.size() || !tokens.get(next).atom() || !tokens.get(next).value().matches("\\d{1,18}")) {
                throw new IllegalArgumentException("Expected " + what + " as a number.");
            }
            return Long.parseLong(tokens.get(next++).value());
        }

        void end() {
            if (next < tokens.size()) {
                throw new IllegalArgumentException("Too many arguments.");
            }
        }
    }

    private void dispatch(List<Token> tokens) {
        if (tokens.isEmpty() || !tokens.get(0).atom()) {
            bad("Expected a command.");
            return;
        }
        String name = tokens.get(0).value().toUpperCase(Locale.ROOT);
        Args a = new Args(tokens);
        try {
            execute(name, a);
        } catch (IllegalArgumentException e) {
            bad("NO " + Tokens.string("Error in " + (name.length() > 20 ? name.substring(0, 20) : name) + ": "
                    + e.getMessage()));
        }
    }

    private void execute(String name, Args a) {
        boolean authenticated = account != null;
        switch (name) {
            case "CAPABILITY" -> {
                a.end();
                reply(capabilities() + "OK \"Capability completed.\"");
            }
            case "LOGOUT" -> {
                a.end();
                ctx.writeAndFlush(text("OK \"Logout completed.\"\r\n")).addListener(ChannelFutureListener.CLOSE);
                hangingUp = true;
            }
            case "NOOP" -> {
                Optional<String> tag = a.optionalString("tag");
                a.end();
                reply("OK " + tag.map(t -> "(TAG " + Tokens.string(t) + ") ").orElse("") + "\"Done\"");
            }
            case "STARTTLS" -> {
                a.end();
                requireState(!authenticated, name);
                startTls();
            }
            case "AUTHENTICATE" -> {
                requireState(!authenticated, name);
                authenticate(a);
            }
            default -> {
                if (!isScriptCommand(name)) {
                    bad("Unknown command " + Tokens.string(name.length() > 20 ? name.substring(0, 20) : name) + ".");
                    return;
                }
                requireState(authenticated, name);
                scriptCommand(name, a);
            }
        }
    }

    private static boolean isScriptCommand(String name) {
        return List.of("HAVESPACE", "PUTSCRIPT", "LISTSCRIPTS", "SETACTIVE", "GETSCRIPT", "DELETESCRIPT",
                "RENAMESCRIPT", "CHECKSCRIPT", "UNAUTHENTICATE").contains(name);
    }

    private static void requireState(boolean ok, String name) {
        if (!ok) {
            throw new IllegalArgumentException(name + " is not allowed in this state.");
        }
    }

    private void startTls() {
        if (tlsActive) {
            bad("TLS is already active.");
            return;
        }
        if (!services.tls().enabled()) {
            bad("TLS is not available: the server has no certificate (SSL_TYPE is not set).");
            return;
        }
        // Anything pipelined after STARTTLS was sent in clear text: discard it (CVE-2011-0411 class).
        framer.clear();
        resetCommand();
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
            // RFC 5804 §2.2: the capabilities again, now over TLS.
            reply(capabilities() + "OK \"TLS negotiation successful.\"");
            resume();
        });
    }

    // ---------------------------------------------------------------- authentication

    private void authenticate(Args a) {
        String mech = a.string("the SASL mechanism");
        Optional<String> initial = a.optionalString("the initial response");
        a.end();
        SaslAuthentication sasl = SaslMechanisms.of(services.authenticator()).start(mech, plaintextAllowed());
        saslStep(sasl, sasl.begin(initial.orElse(null)));
    }

    /** Maps one step of the shared SASL exchange to ManageSieve: string continuations and NO. */
    private void saslStep(SaslAuthentication sasl, SaslStep step) {
        if (step instanceof SaslStep.Challenge c) {
            reply(Tokens.string(c.base64()));
            continuation = t -> response(t).ifPresent(line -> saslStep(sasl, sasl.respond(line)));
        } else if (step instanceof SaslStep.Authenticate a && a.credentials() instanceof SaslCredentials.Password p) {
            login(p.authenticationId(), p.password());
        } else if (step instanceof SaslStep.Authenticate a) {
            // a refused token goes back into the exchange for the RFC 7628 error challenge, then NO
            login(() -> SaslVerification.check(services.authenticator(), a.credentials(), "managesieve", remoteIp),
                    () -> saslStep(sasl, sasl.tokenRefused(SaslVerification.tokenError(services.authenticator()))));
        } else {
            bad(SieveSaslReplies.refusal(step instanceof SaslStep.Refused r ? r.reason() : SaslRefusal.UNSUPPORTED_MECHANISM));
        }
    }

    /** The client's SASL response: one string ({@code "*"} aborts, in the exchange). */
    private Optional<String> response(List<Token> tokens) {
        if (tokens.size() != 1 || tokens.get(0).atom()) {
            bad("Expected the SASL response as one string.");
            return Optional.empty();
        }
        return Optional.of(tokens.get(0).value());
    }

    private void login(String user, String password) {
        login(() -> services.authenticator().authenticate(user, password, "managesieve", remoteIp),
                () -> bad("Authentication failed."));
    }

    /** Runs {@code check} under the login policy; {@code refused} answers a failure that does not end the session. */
    private void login(Supplier<CompletionStage<AuthResult>> check, Runnable refused) {
        async(loginAttempts.verify(check), (AuthResult r) -> {
            if (r.unavailable()) {
                no("TRYLATER", "Temporary authentication failure.");
                return;
            }
            if (!r.success()) {
                if (loginAttempts.exhausted()) {
                    hangingUp = true;
                    loginAttempts.hangUp("NO \"Authentication failed.\"\r\nBYE \"Too many invalid authentication attempts.\"\r\n");
                    return;
                }
                refused.run();
                return;
            }
            account = r.account();
            ChannelLogin.markAuthenticated(ctx.channel(), account);
            registerSession(account);
            ok("Logged in.");
        });
    }

    // ---------------------------------------------------------------- scripts

    private void scriptCommand(String name, Args a) {
        switch (name) {
            case "UNAUTHENTICATE" -> {
                a.end();
                account = null;
                ChannelLogin.clear(ctx.channel());
                endSession();
                ok("Unauthenticate completed.");
            }
            case "LISTSCRIPTS" -> {
                a.end();
                async(services.scripts().list(account), (List<ScriptInfo> list) -> {
                    StringBuilder sb = new StringBuilder();
                    for (ScriptInfo s : list) {
                        sb.append(Tokens.string(s.name())).append(s.active() ? " ACTIVE" : "").append("\r\n");
                    }
                    reply(sb + "OK \"Listscripts completed.\"");
                });
            }
            case "HAVESPACE" -> {
                String script = scriptName(a.string("the script name"));
                long size = a.number("the script size");
                a.end();
                if (size > settings.limits().maxScriptSize()) {
                    no("QUOTA/MAXSIZE", "Script is larger than " + settings.limits().maxScriptSize() + " octets.");
                    return;
                }
                async(services.scripts().haveSpace(account, script, size), v -> ok("Putscript would succeed."));
            }
            case "PUTSCRIPT" -> {
                String script = scriptName(a.string("the script name"));
                String source = a.string("the script");
                a.end();
                if (compiles(script, source)) {
                    async(services.scripts().put(account, script, source), v -> ok("Putscript completed."));
                }
            }
            case "CHECKSCRIPT" -> {
                String source = a.string("the script");
                a.end();
                if (compiles("checkscript", source)) {
                    ok("Script is valid.");
                }
            }
            case "SETACTIVE" -> {
                String script = a.string("the script name");
                a.end();
                String checked = script.isEmpty() ? "" : scriptName(script);
                async(services.scripts().setActive(account, checked), v -> ok("Setactive completed."));
            }
            case "GETSCRIPT" -> {
                String script = scriptName(a.string("the script name"));
                a.end();
                async(services.scripts().get(account, script), (Optional<String> source) -> {
                    if (source.isEmpty()) {
                        no("NONEXISTENT", "There is no script named " + script + ".");
                    } else {
                        String s = source.get();
                        reply("{" + s.getBytes(StandardCharsets.UTF_8).length + "}\r\n" + s
                                + "\r\nOK \"Getscript completed.\"");
                    }
                });
            }
            case "DELETESCRIPT" -> {
                String script = scriptName(a.string("the script name"));
                a.end();
                async(services.scripts().delete(account, script), v -> ok("Deletescript completed."));
            }
            case "RENAMESCRIPT" -> {
                String from = scriptName(a.string("the old script name"));
                String to = scriptName(a.string("the new script name"));
                a.end();
                async(services.scripts().rename(account, from, to), v -> ok("Renamescript completed."));
            }
            default -> throw new IllegalStateException("unhandled script command " + name);
        }
    }

    /** Compiles; answers NO with the line of the first error when the script is invalid. */
    private boolean compiles(String name, String source) {
        try {
            SieveCompiler.compile(name, source, settings.limits());
            return true;
        } catch (ParseException e) {
            no(null, "line " + e.line() + ": " + e.reason());
            return false;
        } catch (RuntimeException e) {
            LOG.warn("Sieve compiler failed on a script of {}: {}", account, e.toString(), e);
            no(null, "Script cannot be compiled: " + e.getMessage());
            return false;
        }
    }

    /** RFC 5804 §1.6: no control characters, no line or paragraph separators, not empty. */
    private static String scriptName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("Invalid script name (1 to " + MAX_NAME_LENGTH + " characters).");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
                throw new IllegalArgumentException("Invalid script name (control character).");
            }
        }
        return name;
    }
}
