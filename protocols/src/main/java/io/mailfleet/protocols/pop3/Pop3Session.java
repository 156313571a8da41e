package io.mailfleet.protocols.pop3;

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
import io.mailfleet.core.mailbox.FlagOperation;
import io.mailfleet.core.mailbox.FolderSnapshot;
import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.core.service.Authenticator.AuthResult;
import io.mailfleet.core.service.SessionLease;
import io.mailfleet.protocols.framing.LineFramer;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One POP3 connection: the RFC 1939 states (AUTHORIZATION, TRANSACTION, UPDATE), STLS, SASL PLAIN
 * and LOGIN, pipelined commands in order. The maildrop is the INBOX as it was at login; deletions are
 * only marks until QUIT, so a dropped connection changes nothing. Runs on its channel's event loop.
 */
final class Pop3Session extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(Pop3Session.class);
    static final String PLAINTEXT_DISALLOWED =
            "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.";
    static final String AUTH_FAILED = "-ERR [AUTH] Authentication failed.";

    private enum State { AUTHORIZATION, TRANSACTION, UPDATE }

    private final Pop3Settings settings;
    private final Pop3Services services;
    private boolean tlsActive;
    private ChannelHandlerContext ctx;
    private LineFramer framer;
    private String remoteIp = "";
    private boolean busy;
    private int badCommands;
    private boolean hangingUp;

    private State state = State.AUTHORIZATION;
    private String pendingUser;
    private Consumer<String> continuation;
    private String account;
    private Runnable release;
    /** This session's entry in the cluster-wide session registry, once authenticated. */
    private SessionLease session;
    private boolean closed;
    private long uidValidity;
    private List<MessageView> messages = List.of();
    private boolean[] deleted = new boolean[0];
    private boolean[] retrieved = new boolean[0];

    private final LoginPolicy loginPolicy;
    private LoginAttempts logins;

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
        logins = new LoginAttempts(loginPolicy, services.guard().bans(), ctx, "pop3");
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

    private void endSession() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    /** Called on any thread when an operator kicks this session: POP3 has no untagged goodbye, so just close. */
    private void kickedByOperator() {
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

    private void releaseLock() {
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

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    private void reply(String line) {
        ctx.writeAndFlush(text(line + "\r\n"));
    }

    private void bad(String line) {
        reply(line);
        if (++badCommands >= settings.maxBadCommands()) {
            ctx.writeAndFlush(text("-ERR Too many bad commands.\r\n")).addListener(ChannelFutureListener.CLOSE);
            hangingUp = true;
        }
    }

    /** Ends an asynchronous command and goes on with pipelined ones. */
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
            if (err != null) {
                Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                LOG.warn("POP3 command failed for {} from {}: {}", account, remoteIp, e.toString());
                if (ctx.channel().isActive()) {
                    reply("-ERR [SYS/TEMP] Internal error occurred. Refer to server log for more information.");
                }
                resume();
                return;
            }
            try {
                onOk.accept(v);
            } catch (RuntimeException e) {
                LOG.warn("POP3 command failed for {} from {}: {}", account, remoteIp, e.toString(), e);
                if (ctx.channel().isActive()) {
                    reply("-ERR [SYS/TEMP] Internal error occurred. Refer to server log for more information.");
                }
                resume();
            }
        }, ctx.executor());
    }

    // ---------------------------------------------------------------- dispatch

    private void onLine(String line) {
        if (continuation != null) {
            Consumer<String> c = continuation;
            continuation = null;
            c.accept(line);
            return;
        }
        int sp = line.indexOf(' ');
        String name = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        String arg = sp < 0 ? "" : line.substring(sp + 1);
        try {
            execute(name, arg);
        } catch (IllegalArgumentException e) {
            bad("-ERR " + e.getMessage());
        }
    }

    private void execute(String name, String arg) {
        switch (name) {
            case "CAPA" -> capa();
            case "QUIT" -> quit();
            case "NOOP" -> {
                requireTransaction(name);
                reply("+OK");
            }
            case "STLS" -> stls();
            case "USER" -> user(arg);
            case "PASS" -> pass(arg);
            case "AUTH" -> auth(arg);
            case "APOP" -> bad("-ERR APOP is not supported.");
            case "STAT" -> stat();
            case "LIST" -> list(arg);
            case "UIDL" -> uidl(arg);
            case "RETR" -> retr(arg);
            case "TOP" -> top(arg);
            case "DELE" -> dele(arg);
            case "RSET" -> rset();
            case "" -> bad("-ERR Empty command.");
            default -> bad("-ERR Unknown command: " + (name.length() > 20 ? name.substring(0, 20) : name));
        }
    }

    private void requireTransaction(String name) {
        if (state != State.TRANSACTION) {
            throw new IllegalArgumentException(name + " is only valid after authentication.");
        }
    }

    private void requireAuthorization(String name) {
        if (state != State.AUTHORIZATION) {
            throw new IllegalArgumentException(name + " is only valid before authentication.");
        }
    }

    private boolean plaintextAllowed() {
        // With no certificate at all there is nothing to upgrade to: like the IMAP server, logins are
        // accepted in clear and the listener logged at start that TLS is off.
        return TlsOnlyPolicy.secretsAllowed(tlsActive, services.tls().enabled());
    }

    private void capa() {
        StringBuilder sb = new StringBuilder("+OK Capability list follows\r\nTOP\r\n");
        if (state == State.AUTHORIZATION && plaintextAllowed()) {
            sb.append("USER\r\n");
        }
        sb.append("UIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\n");
        if (state == State.AUTHORIZATION) {
            String mechanisms = mechanisms().offeredList(plaintextAllowed());
            if (!mechanisms.isEmpty()) {
                sb.append("SASL ").append(mechanisms).append("\r\n");
            }
            if (!tlsActive && services.tls().enabled()) {
                sb.append("STLS\r\n");
            }
        }
        sb.append("IMPLEMENTATION Mailfleet\r\n.\r\n");
        ctx.writeAndFlush(text(sb.toString()));
    }

    private void stls() {
        requireAuthorization("STLS");
        if (tlsActive) {
            bad("-ERR TLS is already active.");
            return;
        }
        if (!services.tls().enabled()) {
            bad("-ERR TLS is not available: the server has no certificate (SSL_TYPE is not set).");
            return;
        }
        // Anything pipelined after STLS was sent in clear text: discard it (CVE-2011-0411 class).
        framer.clear();
        pendingUser = null;
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

    // ---------------------------------------------------------------- authentication

    private void user(String arg) {
        requireAuthorization("USER");
        if (!plaintextAllowed()) {
            bad(PLAINTEXT_DISALLOWED);
            return;
        }
        if (arg.isBlank()) {
            bad("-ERR USER needs a user name.");
            return;
        }
        pendingUser = arg.trim();
        reply("+OK");
    }

    private void pass(String arg) {
        requireAuthorization("PASS");
        if (!plaintextAllowed()) {
            bad(PLAINTEXT_DISALLOWED);
            return;
        }
        if (pendingUser == null) {
            bad("-ERR No user name given (USER first).");
            return;
        }
        String user = pendingUser;
        pendingUser = null;
        login(user, arg);
    }

    private void auth(String arg) {
        requireAuthorization("AUTH");
        String[] f = arg.trim().isEmpty() ? new String[0] : arg.trim().split(" +");
        if (f.length == 0) {
            ctx.writeAndFlush(text("+OK\r\n" + String.join("\r\n", mechanisms().names()) + "\r\n.\r\n"));
            return;
        }
        if (mechanisms().offered(plaintextAllowed()).isEmpty()) {
            bad(PLAINTEXT_DISALLOWED);
            return;
        }
        if (f.length > 2) {
            bad("-ERR Too many arguments for AUTH.");
            return;
        }
        SaslAuthentication sasl = mechanisms().start(f[0], plaintextAllowed());
        saslStep(sasl, sasl.begin(f.length == 2 ? f[1] : null));
    }

    /** Maps one step of the shared SASL exchange to POP3: {@code + } continuations and -ERR. */
    private void saslStep(SaslAuthentication sasl, SaslStep step) {
        if (step instanceof SaslStep.Challenge c) {
            reply("+ " + c.base64());
            continuation = line -> saslStep(sasl, sasl.respond(line));
        } else if (step instanceof SaslStep.Authenticate a && a.credentials() instanceof SaslCredentials.Password p) {
            login(p.authenticationId(), p.password());
        } else if (step instanceof SaslStep.Authenticate a) {
            // a refused token goes back into the exchange for the RFC 7628 error challenge, then -ERR
            login(() -> SaslVerification.check(services.authenticator(), a.credentials(), "pop3", remoteIp), () -> {
                saslStep(sasl, sasl.tokenRefused(SaslVerification.tokenError(services.authenticator())));
                resume();
            });
        } else {
            bad(Pop3SaslReplies.refusal(step instanceof SaslStep.Refused r ? r.reason() : SaslRefusal.UNSUPPORTED_MECHANISM));
        }
    }

    private SaslMechanisms mechanisms() {
        return SaslMechanisms.of(services.authenticator());
    }

    private void login(String user, String password) {
        login(() -> services.authenticator().authenticate(user, password, "pop3", remoteIp), () -> {
            bad(AUTH_FAILED);
            resume();
        });
    }

    /** Runs {@code check} under the login policy; {@code refused} answers a failure that does not end the session. */
    private void login(Supplier<CompletionStage<AuthResult>> check, Runnable refused) {
        async(logins.verify(check), (AuthResult r) -> {
            if (r.unavailable()) {
                reply("-ERR [SYS/TEMP] Temporary authentication failure.");
                resume();
                return;
            }
            if (!r.success()) {
                if (logins.exhausted()) {
                    hangingUp = true;
                    logins.hangUp("-ERR [AUTH] Authentication failed. Too many invalid authentication attempts.\r\n");
                    return;
                }
                refused.run();
                return;
            }
            // The per-user-and-IP limit counts this account's POP3 sessions on every node.
            async(services.sessions().open(r.account(), "pop3", remoteIp, settings.maxConnectionsPerUserIp(),
                    this::kickedByOperator), (Optional<SessionLease> admitted) -> {
                if (admitted.isEmpty()) {
                    reply("-ERR [IN-USE] Maximum number of connections from user+IP exceeded"
                            + " (mail_max_userip_connections=" + settings.maxConnectionsPerUserIp() + ")");
                    resume();
                    return;
                }
                session = admitted.get();
                ChannelLogin.markAuthenticated(ctx.channel(), r.account());
                if (closed) {
                    endSession();
                    return;
                }
                lockMaildrop(r.account());
            });
        });
    }

    private void lockMaildrop(String user) {
        async(services.lock().tryLock(user, "pop3 " + remoteIp), (Optional<Runnable> lease) -> {
            if (lease.isEmpty()) {
                endSession();
                reply("-ERR [IN-USE] Mailbox is locked by another POP3 session.");
                resume();
                return;
            }
            release = lease.get();
            if (closed) {
                releaseLock();
                return;
            }
            account = user;
            openMaildrop();
        });
    }

    private void openMaildrop() {
        services.mailboxes().select(account, "INBOX", false).whenCompleteAsync((FolderSnapshot snap, Throwable err) -> {
            if (err != null) {
                LOG.warn("POP3 cannot open the maildrop of {}: {}", account, err.toString());
                releaseLock();
                endSession();
                account = null;
                if (ctx.channel().isActive()) {
                    reply("-ERR [SYS/TEMP] Cannot open the maildrop, try again later.");
                }
                resume();
                return;
            }
            if (!ctx.channel().isActive()) {
                releaseLock();
                return;
            }
            uidValidity = snap.uidValidity();
            messages = snap.messages();
            deleted = new boolean[messages.size()];
            retrieved = new boolean[messages.size()];
            state = State.TRANSACTION;
            reply("+OK Logged in.");
            resume();
        }, ctx.executor());
    }

    // ---------------------------------------------------------------- transaction

    /** The message numbered {@code arg} (1-based), refusing deleted ones. */
    private int message(String arg) {
        String a = arg.trim();
        if (a.isEmpty() || a.length() > 9 || !a.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("Invalid message number: " + (a.length() > 20 ? a.substring(0, 20) : a));
        }
        int n = Integer.parseInt(a);
        if (n < 1 || n > messages.size()) {
            throw new IllegalArgumentException("There's no message " + n + ".");
        }
        if (deleted[n - 1]) {
            throw new IllegalArgumentException("Message is deleted.");
        }
        return n - 1;
    }

    private String uidl(int i) {
        // Dovecot's default pop3_uidl_format %08Xu%08Xv: the IMAP UID and UIDVALIDITY, so POP3 and
        // IMAP clients agree and the value never changes while the message exists.
        return String.format("%08X%08X", messages.get(i).uid(), uidValidity);
    }

    private void stat() {
        requireTransaction("STAT");
        int count = 0;
        long size = 0;
        for (int i = 0; i < messages.size(); i++) {
            if (!deleted[i]) {
                count++;
                size += messages.get(i).size();
            }
        }
        reply("+OK " + count + " " + size);
    }

    private void list(String arg) {
        requireTransaction("LIST");
        if (!arg.isBlank()) {
            int i = message(arg);
            reply("+OK " + (i + 1) + " " + messages.get(i).size());
            return;
        }
        StringBuilder sb = new StringBuilder();
        int count = 0;
        long size = 0;
        for (int i = 0; i < messages.size(); i++) {
            if (!deleted[i]) {
                count++;
                size += messages.get(i).size();
                sb.append(i + 1).append(' ').append(messages.get(i).size()).append("\r\n");
            }
        }
        ctx.writeAndFlush(text("+OK " + count + " messages (" + size + " octets)\r\n" + sb + ".\r\n"));
    }

    private void uidl(String arg) {
        requireTransaction("UIDL");
        if (!arg.isBlank()) {
            int i = message(arg);
            reply("+OK " + (i + 1) + " " + uidl(i));
            return;
        }
        StringBuilder sb = new StringBuilder("+OK\r\n");
        for (int i = 0; i < messages.size(); i++) {
            if (!deleted[i]) {
                sb.append(i + 1).append(' ').append(uidl(i)).append("\r\n");
            }
        }
        ctx.writeAndFlush(text(sb.append(".\r\n").toString()));
    }

    private void retr(String arg) {
        requireTransaction("RETR");
        int i = message(arg);
        retrieved[i] = true;
        send("+OK " + messages.get(i).size() + " octets", messages.get(i), -1);
    }

    private void top(String arg) {
        requireTransaction("TOP");
        String[] f = arg.trim().split(" +");
        if (f.length != 2 || !f[1].matches("\\d{1,9}")) {
            throw new IllegalArgumentException("TOP needs a message number and a line count.");
        }
        int i = message(f[0]);
        send("+OK", messages.get(i), Long.parseLong(f[1]));
    }

    /** Streams a message; the next pipelined command waits until it is written (backpressure). */
    private void send(String status, MessageView m, long bodyLines) {
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

    private void dele(String arg) {
        requireTransaction("DELE");
        int i = message(arg);
        deleted[i] = true;
        reply("+OK Marked to be deleted.");
    }

    private void rset() {
        requireTransaction("RSET");
        deleted = new boolean[messages.size()];
        reply("+OK");
    }

    private void quit() {
        if (state != State.TRANSACTION) {
            ctx.writeAndFlush(text("+OK Logging out.\r\n")).addListener(ChannelFutureListener.CLOSE);
            hangingUp = true;
            return;
        }
        state = State.UPDATE;
        List<Long> gone = new ArrayList<>();
        List<Long> seen = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            MessageView m = messages.get(i);
            if (deleted[i]) {
                gone.add(m.uid());
            } else if (retrieved[i] && !m.flags().contains("\\Seen")) {
                seen.add(m.uid());
            }
        }
        CompletionStage<?> update = java.util.concurrent.CompletableFuture.completedFuture(null);
        if (!seen.isEmpty()) {
            update = update.thenCompose(x -> services.mailboxes().store(account, "INBOX", seen, FlagOperation.ADD,
                    Set.of("\\Seen"), -1));
        }
        if (!gone.isEmpty()) {
            update = update.thenCompose(x -> services.mailboxes().store(account, "INBOX", gone, FlagOperation.ADD,
                    Set.of("\\Deleted"), -1)).thenCompose(x -> services.mailboxes().expunge(account, "INBOX", gone));
        }
        hangingUp = true;
        ctx.channel().config().setAutoRead(false);
        update.whenCompleteAsync((v, err) -> {
            releaseLock();
            String line;
            if (err != null) {
                LOG.warn("POP3 QUIT of {} could not remove {} messages: {}", account, gone.size(), err.toString());
                line = "-ERR [SYS/TEMP] Some deleted messages were not removed.";
            } else {
                line = gone.isEmpty() ? "+OK Logging out." : "+OK Logging out, messages deleted.";
            }
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(text(line + "\r\n")).addListener(ChannelFutureListener.CLOSE);
            }
        }, ctx.executor());
    }
}
