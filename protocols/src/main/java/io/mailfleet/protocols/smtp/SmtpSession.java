package io.mailfleet.protocols.smtp;

import io.mailfleet.protocols.auth.LoginAttempts;
import io.mailfleet.protocols.auth.LoginPolicy;
import io.mailfleet.protocols.netty.ChannelLogin;
import io.mailfleet.core.address.InvalidAddressException;
import io.mailfleet.core.address.MailAddress;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.core.service.Authenticator.AuthResult;
import io.mailfleet.core.service.SessionLease;
import io.mailfleet.protocols.flow.BlobUploads;
import io.mailfleet.protocols.flow.Demand;
import io.mailfleet.protocols.flow.ReadGate;
import io.mailfleet.protocols.framing.LineFramer;
import io.mailfleet.protocols.netty.RemoteAddress;
import io.mailfleet.protocols.sasl.SaslAuthentication;
import io.mailfleet.protocols.sasl.SaslCredentials;
import io.mailfleet.protocols.sasl.SaslMechanisms;
import io.mailfleet.protocols.sasl.SaslRefusal;
import io.mailfleet.protocols.sasl.SaslStep;
import io.mailfleet.protocols.sasl.TlsOnlyPolicy;
import io.mailfleet.protocols.smtp.policy.PolicyDecision;
import io.mailfleet.protocols.smtp.policy.SmtpPolicy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One SMTP connection. Input is processed strictly in order: while an asynchronous step (AUTH,
 * TLS handshake, blob commit and enqueue) is pending, nothing further is read or answered, so
 * pipelined replies never reorder and the socket is back-pressured. Replies are flushed when the
 * buffered input is used up (RFC 2920 batching).
 */
final class SmtpSession extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.smtp");
    private static final int MAX_COMMAND = 512;
    private static final int MAX_AUTH_LINE = 12288;
    /** Message bytes handed to the sink at a time, so the store's demand is checked between them. */
    private static final int FEED_CHUNK = 64 * 1024;
    private static final SmtpReply OK = new SmtpReply(250, "2.0.0", "Ok");

    private enum Input { COMMAND, AUTH, DATA, BDAT }

    private final SmtpSettings settings;
    private final SmtpServices services;
    private final SmtpPolicy policy;
    private final String sessionId = newId();
    private final AtomicBoolean serverStopping;

    private ChannelHandlerContext ctx;
    private LineFramer framer;
    /** Holds DATA and BDAT input back while the blob store is behind. */
    private ReadGate gate;
    private final BlobUploads uploads;
    private String remoteIp = "unknown";
    private InetAddress remoteAddress;
    private boolean busy;
    private boolean closing;
    /** The server is stopping: close with 421 at the next command boundary. */
    private boolean draining;
    private Input input = Input.COMMAND;
    private int errors;

    private String helo;
    private boolean esmtp;
    private boolean tls;
    /** This session in the session registry, once authenticated and registered. */
    private SessionLease registration;
    private String login;

    /** The SASL exchange waiting for a response line, while input is AUTH. */
    private SaslAuthentication sasl;

    private Transaction txn;
    private MessageSink sink;
    private long bdatRemaining;
    private boolean bdatLast;

    /** The mail transaction between MAIL and the end of data. */
    private static final class Transaction {
        final String id = newId();
        final String sender;
        final String body;
        final boolean smtpUtf8;
        final String ret;
        final String envId;
        final List<EnvelopeRecipient> recipients = new ArrayList<>();
        boolean bdat;

        Transaction(String sender, String body, boolean smtpUtf8, String ret, String envId) {
            this.sender = sender;
            this.body = body;
            this.smtpUtf8 = smtpUtf8;
            this.ret = ret;
            this.envId = envId;
        }
    }

    private final LoginPolicy loginPolicy;
    private LoginAttempts logins;

    SmtpSession(SmtpSettings settings, SmtpServices services, SmtpPolicy policy,
                AtomicBoolean serverStopping, LoginPolicy loginPolicy, BlobUploads uploads) {
        this.loginPolicy = loginPolicy;
        this.uploads = uploads;
        this.settings = settings;
        this.services = services;
        this.policy = policy;
        this.serverStopping = serverStopping;
    }

    private static String newId() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().withUpperCase().formatHex(b);
    }

    private boolean tlsAvailable() {
        return services.tls().enabled();
    }

    // ---- channel events -------------------------------------------------------------------

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        framer = new LineFramer(ctx.alloc());
        gate = new ReadGate(ctx, this::process);
        logins = new LoginAttempts(loginPolicy, services.guard().bans(), ctx, "smtp");
        // The PROXY protocol address when behind a trusted load balancer, else the socket's peer.
        InetSocketAddress isa = RemoteAddress.of(ctx.channel());
        if (isa != null && isa.getAddress() != null) {
            remoteAddress = isa.getAddress();
            remoteIp = remoteAddress.getHostAddress();
        }
        if (serverStopping.get()) {
            // accepted just before the listener stopped, after the others were told to drain
            close(shuttingDown());
            return;
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl != null) {
            // implicit TLS (465): no byte of SMTP before the handshake has finished
            busy = true;
            ssl.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    tls = true;
                    busy = false;
                    send(new SmtpReply(220, "", settings.hostname() + " ESMTP"));
                    process();
                } else {
                    LOG.info("session={} client={} TLS handshake failed: {}", sessionId, remoteIp,
                            f.cause() == null ? "closed" : f.cause().getMessage());
                    ctx.close();
                }
            });
        } else {
            send(new SmtpReply(220, "", settings.hostname() + " ESMTP"));
            ctx.flush();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (closing) {
            in.release();
            return;
        }
        framer.add(in);
        process();
    }

    /**
     * Lists the authenticated session in the registry (operators see and can kick it) without
     * delaying the reply: submission has no per-user-and-IP limit, so the answer never refuses.
     */
    private void registerSession(String account) {
        services.sessions().open(account, "smtp", remoteIp, 0, this::kickedByOperator)
                .whenCompleteAsync((lease, err) -> {
                    if (err != null) {
                        LOG.warn("session={} SMTP session of {} not registered: {}", sessionId, account, err.toString());
                    } else if (lease.isPresent() && (closing || !ctx.channel().isActive())) {
                        lease.get().close();
                    } else {
                        registration = lease.orElse(null);
                    }
                }, ctx.executor());
    }

    /** Called on any thread when an operator kicks this session. */
    private void kickedByOperator() {
        ctx.executor().execute(() -> {
            if (ctx.channel().isActive() && !closing) {
                LOG.info("session={} client={} user={} kicked by an operator", sessionId, remoteIp, login);
                close(new SmtpReply(421, "4.7.0", settings.hostname() + " Disconnected by the administrator"));
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (registration != null) {
            registration.close();
            registration = null;
        }
        abortTransaction("disconnected");
        if (framer != null) {
            framer.release();
        }
        closing = true;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == SmtpServer.Drain.INSTANCE) {
            draining = true;
            if (!busy && !closing) {
                process();
            }
            return;
        }
        if (evt instanceof IdleStateEvent && !busy && !closing && !gate.waiting()) {
            LOG.info("session={} client={} idle timeout", sessionId, remoteIp);
            close(new SmtpReply(421, "4.4.2", settings.hostname() + " Error: timeout exceeded"));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.info("session={} client={} connection error: {}", sessionId, remoteIp, cause.toString());
        ctx.close();
    }

    // ---- input loop -----------------------------------------------------------------------

    private void process() {
        while (!busy && !closing && framer.isReadable()) {
            if ((input == Input.DATA || input == Input.BDAT) && sink != null
                    && sink.writer() instanceof Demand store && !gate.admits(store)) {
                break;
            }
            if (input == Input.DATA) {
                if (framer.decodeRaw(FEED_CHUNK, sink::feedDotted)) {
                    input = Input.COMMAND;
                    endOfMessage();
                }
            } else if (input == Input.BDAT) {
                int n = framer.decodeRaw((int) Math.min(bdatRemaining, FEED_CHUNK), chunk -> {
                    int k = chunk.readableBytes();
                    if (sink != null) {
                        sink.feedRaw(chunk, k);
                    } else {
                        chunk.skipBytes(k);
                    }
                    return k;
                });
                bdatRemaining -= n;
                if (bdatRemaining == 0) {
                    input = Input.COMMAND;
                    endOfChunk();
                }
            } else {
                if (draining) {
                    break;
                }
                String line = readLine();
                if (line == null) {
                    break;
                }
                if (input == Input.AUTH) {
                    authContinuation(line);
                } else {
                    command(line);
                }
            }
        }
        framer.compact();
        if (draining && !busy && !closing && input != Input.DATA && input != Input.BDAT) {
            // between commands: the reply to the last one is written, nothing is left half done
            close(shuttingDown());
        } else if (!closing) {
            ctx.flush();
        }
    }

    private SmtpReply shuttingDown() {
        return new SmtpReply(421, "4.3.2", settings.hostname() + " Service shutting down, try again later");
    }

    /** The next CRLF line, null when incomplete; replies itself to overlong or bare-LF lines. */
    private String readLine() {
        while (!closing) {
            // the limits count the CRLF (RFC 5321 §4.5.3.1.4), the framer the octets before the LF
            int limit = input == Input.AUTH || framer.startsWithIgnoreCase("AUTH ") ? MAX_AUTH_LINE : MAX_COMMAND;
            LineFramer.Line line = framer.readLine(limit - 1);
            if (line == null) {
                return null;
            }
            if (line.tooLong()) {
                reply(new SmtpReply(500, "5.5.2", "Error: line too long"));
            } else if (!line.crlf() && settings.bareNewline() == BareNewlinePolicy.REJECT) {
                reply(new SmtpReply(500, "5.5.2", "Error: bare <LF> received"));
            } else {
                return line.text();
            }
        }
        return null;
    }

    // ---- replies --------------------------------------------------------------------------

    private void send(SmtpReply reply) {
        String text = reply.enhanced().isEmpty() ? reply.code() + " " + reply.text() : reply.line();
        ctx.write(Unpooled.copiedBuffer(text + "\r\n", StandardCharsets.UTF_8));
    }

    /** Sends a reply; error replies count toward the hard error limit. */
    private void reply(SmtpReply reply) {
        send(reply);
        if (reply.isError() && ++errors >= settings.hardErrorLimit()) {
            LOG.info("session={} client={} too many errors", sessionId, remoteIp);
            abuse("too many errors");
            close(new SmtpReply(421, "4.7.0", settings.hostname() + " Error: too many errors"));
        }
    }

    /**
     * Counts protocol abuse in the ban list's {@code postfix} jail, as docker-mailserver's Fail2ban
     * does in mode {@code extra}: recipients rejected as unknown or as relaying, rejected HELO names,
     * and sessions ended for too many errors. Fire and forget; ignored networks are never counted.
     */
    private void abuse(String reason) {
        services.guard().bans().ifPresent(b -> b.reportFailure(remoteIp, "smtp-protocol", reason));
    }

    private void close(SmtpReply reply) {
        closing = true;
        abortTransaction("session closed");
        send(reply);
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    // ---- commands -------------------------------------------------------------------------

    private void command(String line) {
        int sp = line.indexOf(' ');
        String verb = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        String arg = sp < 0 ? "" : line.substring(sp + 1).trim();
        switch (verb) {
            case "EHLO" -> helo(arg, true);
            case "HELO" -> helo(arg, false);
            case "STARTTLS" -> startTls(arg);
            case "AUTH" -> auth(arg);
            case "MAIL" -> mail(arg);
            case "RCPT" -> rcpt(arg);
            case "DATA" -> data(arg);
            case "BDAT" -> bdat(arg);
            case "RSET" -> {
                abortTransaction("RSET");
                reply(OK);
            }
            case "NOOP" -> reply(OK);
            case "QUIT" -> {
                closing = true;
                abortTransaction("QUIT");
                send(new SmtpReply(221, "2.0.0", "Bye"));
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            case "HELP" -> reply(new SmtpReply(214, "2.0.0",
                    "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT HELP STARTTLS AUTH"));
            case "VRFY" -> reply(new SmtpReply(502, "5.5.1", "VRFY command is disabled"));
            case "EXPN" -> reply(new SmtpReply(502, "5.5.1", "EXPN command is disabled"));
            case "" -> reply(new SmtpReply(500, "5.5.2", "Error: bad syntax"));
            default -> reply(new SmtpReply(502, "5.5.2", "Error: command not recognized"));
        }
    }

    private void helo(String arg, boolean extended) {
        if (arg.isEmpty() || arg.indexOf(' ') >= 0) {
            reply(new SmtpReply(501, "5.5.4", "Syntax: " + (extended ? "EHLO" : "HELO") + " hostname"));
            return;
        }
        if (!validHeloName(arg)) {
            abuse("invalid HELO name");
            reply(new SmtpReply(501, "5.5.2", "<" + arg + ">: Helo command rejected: Invalid name"));
            return;
        }
        abortTransaction("EHLO");
        helo = arg;
        esmtp = extended;
        if (!extended) {
            reply(new SmtpReply(250, "", settings.hostname()));
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(settings.hostname());
        lines.add("PIPELINING");
        lines.add("SIZE " + settings.maxMessageSize());
        if (tlsAvailable() && !tls) {
            lines.add("STARTTLS");
        }
        String mechanisms = SaslMechanisms.STANDARD.offeredList(TlsOnlyPolicy.secretsAllowed(tls, tlsAvailable()));
        if (authOffered() && !mechanisms.isEmpty()) {
            lines.add("AUTH " + mechanisms);
            lines.add("AUTH=" + mechanisms);
        }
        lines.add("ENHANCEDSTATUSCODES");
        lines.add("8BITMIME");
        if (settings.mode().isSubmission()) {
            lines.add("DSN");
        }
        if (settings.smtpUtf8()) {
            lines.add("SMTPUTF8");
        }
        lines.add("CHUNKING");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(250).append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i)).append("\r\n");
        }
        ctx.write(Unpooled.copiedBuffer(sb, StandardCharsets.US_ASCII));
    }

    private static boolean validHeloName(String name) {
        if (name.startsWith("[") && name.endsWith("]")) {
            String lit = name.substring(1, name.length() - 1);
            return lit.matches("\\d{1,3}(\\.\\d{1,3}){3}") || lit.regionMatches(true, 0, "IPv6:", 0, 5)
                    && lit.substring(5).matches("[0-9A-Fa-f:.]+");
        }
        try {
            MailAddress.normalizeDomain(name, name);
            return true;
        } catch (InvalidAddressException e) {
            return false;
        }
    }

    /** Submission only, and only over TLS unless TLS is switched off entirely (DMS with empty SSL_TYPE). */
    private boolean authOffered() {
        return settings.mode().isSubmission() && login == null && (tls || !tlsAvailable());
    }

    private boolean tlsRequiredFirst() {
        return settings.mode() == SmtpMode.SUBMISSION && tlsAvailable() && !tls;
    }

    private void startTls(String arg) {
        if (!tlsAvailable()) {
            reply(new SmtpReply(502, "5.5.1", "Error: STARTTLS is not available: no certificate is configured"));
            return;
        }
        if (tls) {
            reply(new SmtpReply(554, "5.5.1", "Error: TLS already active"));
            return;
        }
        if (!arg.isEmpty()) {
            reply(new SmtpReply(501, "5.5.4", "Syntax: STARTTLS"));
            return;
        }
        SslHandler ssl = services.tls().newHandler(ctx.alloc(), true);
        ctx.pipeline().addFirst("tls", ssl);
        send(new SmtpReply(220, "2.0.0", "Ready to start TLS"));
        // CVE-2011-0411: whatever the client sent after STARTTLS in clear text is dropped unanswered
        framer.clear();
        busy = true;
        ssl.handshakeFuture().addListener(f -> {
            if (!f.isSuccess()) {
                LOG.info("session={} client={} STARTTLS handshake failed: {}", sessionId, remoteIp,
                        f.cause() == null ? "closed" : f.cause().getMessage());
                closing = true;
                ctx.close();
                return;
            }
            tls = true;
            helo = null;
            esmtp = false;
            login = null;
            abortTransaction("STARTTLS");
            busy = false;
            process();
        });
    }

    // ---- AUTH -----------------------------------------------------------------------------

    private void auth(String arg) {
        if (!settings.mode().isSubmission()) {
            reply(new SmtpReply(503, "5.5.1", "Error: authentication not enabled"));
            return;
        }
        if (tlsRequiredFirst()) {
            reply(new SmtpReply(530, "5.7.0", "Must issue a STARTTLS command first"));
            return;
        }
        if (helo == null) {
            reply(new SmtpReply(503, "5.5.1", "Error: send HELO/EHLO first"));
            return;
        }
        if (login != null) {
            reply(new SmtpReply(503, "5.5.1", "Error: already authenticated"));
            return;
        }
        if (txn != null) {
            reply(new SmtpReply(503, "5.5.1", "Error: MAIL transaction in progress"));
            return;
        }
        String[] parts = arg.split(" ", -1);
        String mech = parts[0].toUpperCase(Locale.ROOT);
        String initial = parts.length > 1 ? parts[1] : null;
        if (parts.length > 2 || parts[0].isEmpty()) {
            reply(new SmtpReply(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]"));
            return;
        }
        sasl = SaslMechanisms.STANDARD.start(mech, TlsOnlyPolicy.secretsAllowed(tls, tlsAvailable()));
        saslStep(mech, sasl.begin(initial));
    }

    private void authContinuation(String line) {
        saslStep(sasl.mechanismName(), sasl.respond(line));
    }

    /** Maps one step of the shared SASL exchange to SMTP: 334 challenges, 501/504/535 refusals. */
    private void saslStep(String mech, SaslStep step) {
        input = Input.COMMAND;
        if (step instanceof SaslStep.Challenge c) {
            input = Input.AUTH;
            send(new SmtpReply(334, "", c.base64()));
            return;
        }
        sasl = null;
        if (step instanceof SaslStep.Authenticate a && a.credentials() instanceof SaslCredentials.Password p) {
            verify(p.authenticationId(), p.password());
        } else {
            reply(SmtpSaslReplies.refusal(step instanceof SaslStep.Refused r ? r.reason()
                    : SaslRefusal.UNSUPPORTED_MECHANISM, mech));
        }
    }

    private void verify(String user, String password) {
        CompletionStage<AuthResult> stage;
        try {
            stage = logins.verify(() -> services.authenticator().authenticate(user, password, "smtp", remoteIp));
        } catch (RuntimeException e) {
            stage = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        suspend(stage, (result, err) -> {
            if (err != null) {
                LOG.info("session={} client={} auth user={} status=tempfail reason={}", sessionId, remoteIp, user, err.toString());
                reply(new SmtpReply(454, "4.7.0", "Temporary authentication failure"));
            } else if (result.success()) {
                login = result.account();
                ChannelLogin.markAuthenticated(ctx.channel(), login);
                LOG.info("session={} client={} auth user={} status=ok", sessionId, remoteIp, login);
                registerSession(login);
                reply(new SmtpReply(235, "2.7.0", "Authentication successful"));
            } else {
                String reason = result.reason() == null || result.reason().isBlank()
                        ? "authentication failure" : result.reason();
                LOG.info("session={} client={} auth user={} status=failed reason={}", sessionId, remoteIp, user, reason);
                reply(new SmtpReply(535, "5.7.8", "Error: authentication failed: " + reason));
                if (logins.exhausted() && !closing) {
                    close(new SmtpReply(421, "4.7.0", settings.hostname() + " Error: too many authentication failures"));
                }
            }
        });
    }

    /** Pauses input until {@code stage} completes, then continues on the event loop. */
    private <T> void suspend(CompletionStage<T> stage, java.util.function.BiConsumer<T, Throwable> then) {
        busy = true;
        ctx.flush();
        ctx.channel().config().setAutoRead(false);
        stage.whenComplete((v, e) -> ctx.executor().execute(() -> {
            busy = false;
            ctx.channel().config().setAutoRead(true);
            then.accept(v, e);
            if (ctx.channel().isActive()) {
                process();
            }
        }));
    }

    // ---- mail transaction -----------------------------------------------------------------

    private boolean transactionAllowed(Consumer<SmtpReply> out) {
        if (helo == null) {
            out.accept(new SmtpReply(503, "5.5.1", "Error: send HELO/EHLO first"));
            return false;
        }
        if (tlsRequiredFirst()) {
            out.accept(new SmtpReply(530, "5.7.0", "Must issue a STARTTLS command first"));
            return false;
        }
        return true;
    }

    private void mail(String arg) {
        if (!transactionAllowed(this::reply)) {
            return;
        }
        if (txn != null) {
            reply(new SmtpReply(503, "5.5.1", "Error: nested MAIL command"));
            return;
        }
        PathArgument p = PathArgument.parse(arg, "FROM:");
        if (p == null) {
            reply(new SmtpReply(501, "5.5.4", "Syntax: MAIL FROM:<address>"));
            return;
        }
        String body = "7BIT";
        boolean utf8 = false;
        String ret = null;
        String envId = null;
        for (var e : p.params().entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            switch (key) {
                case "SIZE" -> {
                    long declared;
                    try {
                        declared = Long.parseLong(value == null ? "" : value);
                    } catch (NumberFormatException ex) {
                        reply(new SmtpReply(501, "5.5.4", "Bad message size syntax"));
                        return;
                    }
                    if (declared > settings.maxMessageSize()) {
                        logDecision(null, p.address(), "", "rejected", "declared size " + declared);
                        reply(new SmtpReply(552, "5.3.4", "Message size exceeds fixed limit"));
                        return;
                    }
                }
                case "BODY" -> {
                    String v = value == null ? "" : value.toUpperCase(Locale.ROOT);
                    if (!v.equals("7BIT") && !v.equals("8BITMIME")) {
                        reply(new SmtpReply(501, "5.5.4", "Bad BODY keyword value"));
                        return;
                    }
                    body = v;
                }
                case "SMTPUTF8" -> {
                    if (!settings.smtpUtf8()) {
                        reply(new SmtpReply(555, "5.5.4", "Unsupported option: SMTPUTF8"));
                        return;
                    }
                    utf8 = true;
                }
                case "RET", "ENVID" -> {
                    if (!settings.mode().isSubmission()) {
                        reply(new SmtpReply(555, "5.5.4", "Unsupported option: " + key));
                        return;
                    }
                    if (key.equals("RET")) {
                        String v = value == null ? "" : value.toUpperCase(Locale.ROOT);
                        if (!v.equals("FULL") && !v.equals("HDRS")) {
                            reply(new SmtpReply(501, "5.5.4", "Bad RET parameter syntax"));
                            return;
                        }
                        ret = v;
                    } else {
                        if (value == null || value.isEmpty() || value.length() > 100) {
                            reply(new SmtpReply(501, "5.5.4", "Bad ENVID parameter syntax"));
                            return;
                        }
                        envId = value;
                    }
                }
                case "AUTH" -> {
                    // RFC 4954 §5: accepted and not trusted
                }
                default -> {
                    reply(new SmtpReply(555, "5.5.4", "Unsupported option: " + key));
                    return;
                }
            }
        }
        String sender = p.address();
        if (!sender.isEmpty()) {
            if (!utf8 && !isAscii(sender)) {
                reply(new SmtpReply(553, "5.6.7", "<" + sender + ">: Sender address rejected: non-ASCII address needs SMTPUTF8"));
                return;
            }
            try {
                MailAddress.parse(sender);
            } catch (InvalidAddressException e) {
                reply(new SmtpReply(501, "5.1.7", "Bad sender address syntax"));
                return;
            }
        }
        PolicyDecision d = policy.checkSender(services.directory().view(), sender, login);
        if (!d.accepted()) {
            logDecision(null, sender, "", "rejected", d.reason());
            reply(d.reply());
            return;
        }
        txn = new Transaction(sender, body, utf8, ret, envId);
        reply(d.reply());
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    private void rcpt(String arg) {
        if (!transactionAllowed(this::reply)) {
            return;
        }
        if (txn == null) {
            reply(new SmtpReply(503, "5.5.1", "Error: need MAIL command"));
            return;
        }
        PathArgument p = PathArgument.parse(arg, "TO:");
        if (p == null || p.address().isEmpty()) {
            reply(new SmtpReply(501, "5.5.4", "Syntax: RCPT TO:<address>"));
            return;
        }
        String notify = null;
        String orcpt = null;
        for (var e : p.params().entrySet()) {
            String key = e.getKey();
            if ((key.equals("NOTIFY") || key.equals("ORCPT")) && settings.mode().isSubmission()) {
                if (e.getValue() == null || e.getValue().isEmpty()) {
                    reply(new SmtpReply(501, "5.5.4", "Bad " + key + " parameter syntax"));
                    return;
                }
                if (key.equals("NOTIFY")) {
                    notify = e.getValue().toUpperCase(Locale.ROOT);
                    if (!notify.matches("NEVER|(SUCCESS|FAILURE|DELAY)(,(SUCCESS|FAILURE|DELAY))*")) {
                        reply(new SmtpReply(501, "5.5.4", "Bad NOTIFY parameter syntax"));
                        return;
                    }
                } else {
                    orcpt = e.getValue();
                }
            } else {
                reply(new SmtpReply(555, "5.5.4", "Unsupported option: " + key));
                return;
            }
        }
        if (txn.recipients.size() >= settings.maxRecipients()) {
            reply(new SmtpReply(452, "4.5.3", "Error: too many recipients"));
            return;
        }
        String rcpt = p.address();
        boolean barePostmaster = rcpt.equalsIgnoreCase("postmaster") && settings.postmasterAddress() != null;
        if (barePostmaster) {
            rcpt = settings.postmasterAddress(); // RFC 5321 §4.5.1: <postmaster> without a domain
        }
        MailAddress addr;
        try {
            if (!txn.smtpUtf8 && !isAscii(rcpt)) {
                throw new InvalidAddressException("non-ASCII address without SMTPUTF8");
            }
            addr = MailAddress.parse(rcpt);
        } catch (InvalidAddressException e) {
            reply(new SmtpReply(501, "5.1.3", "Bad recipient address syntax"));
            return;
        }
        if (settings.mode().isSubmission() && login == null) {
            logDecision(txn.id, txn.sender, rcpt, "rejected", "unauthenticated submission");
            reply(new SmtpReply(554, "5.7.1", "<unknown[" + remoteIp + "]>: Client host rejected: Access denied"));
            return;
        }
        boolean relay = login != null || trusted();
        if (!relay && helo.indexOf('.') < 0 && !helo.startsWith("[")) {
            // Postfix reject_non_fqdn_helo_hostname for untrusted, unauthenticated clients (delayed to RCPT)
            logDecision(txn.id, txn.sender, rcpt, "rejected", "non-FQDN HELO " + helo);
            abuse("non-FQDN HELO");
            reply(new SmtpReply(504, "5.5.2", "<" + helo + ">: Helo command rejected: need fully-qualified hostname"));
            return;
        }
        PolicyDecision d = barePostmaster ? policy.checkPostmaster(services.directory().view(), rcpt)
                : policy.checkRecipient(services.directory().view(), rcpt, relay);
        if (!d.accepted()) {
            logDecision(txn.id, txn.sender, rcpt, "rejected", d.reason());
            // unknown users (550) and relay attempts (554) are what address harvesters and open-relay
            // probes produce; a full mailbox (552) or a 4xx is nobody's abuse
            if (d.reply().code() == 550 || d.reply().code() == 554) {
                abuse(d.reason());
            }
            reply(d.reply());
            return;
        }
        String stored = addr.localPart() + "@" + addr.domain();
        txn.recipients.add(new EnvelopeRecipient(stored, notify, orcpt));
        reply(d.reply());
    }

    private boolean trusted() {
        return remoteAddress != null && settings.trustedNetworks().stream().anyMatch(c -> c.contains(remoteAddress));
    }

    private void data(String arg) {
        if (!transactionAllowed(this::reply)) {
            return;
        }
        if (!arg.isEmpty()) {
            reply(new SmtpReply(501, "5.5.4", "Syntax: DATA"));
            return;
        }
        if (txn == null) {
            reply(new SmtpReply(503, "5.5.1", "Error: need MAIL command"));
            return;
        }
        if (txn.bdat) {
            reply(new SmtpReply(503, "5.5.1", "Error: DATA not allowed in a BDAT transaction"));
            return;
        }
        if (txn.recipients.isEmpty()) {
            reply(new SmtpReply(554, "5.5.1", "Error: no valid recipients"));
            return;
        }
        if (!openSink(true)) {
            return;
        }
        input = Input.DATA;
        reply(new SmtpReply(354, "", "End data with <CR><LF>.<CR><LF>"));
        ctx.flush();
    }

    private boolean openSink(boolean dataMode) {
        BlobWriter w;
        try {
            w = uploads.pace(services.blobs().create());
        } catch (Exception e) {
            LOG.warn("session={} txn={} cannot create blob: {}", sessionId, txn.id, e.toString());
            reply(new SmtpReply(451, "4.3.0", "Error: queue file write error"));
            return false;
        }
        boolean submission = settings.mode().isSubmission();
        String with = (esmtp ? "ESMTP" : "SMTP") + (tls ? "S" : "") + (login != null ? "A" : "");
        if (!esmtp && (tls || login != null)) {
            with = "ESMTP" + (tls ? "S" : "") + (login != null ? "A" : "");
        }
        String single = txn.recipients.size() == 1 ? txn.recipients.get(0).address() : null;
        String received = ReceivedHeader.build(settings.hostname(), helo, submission ? null : remoteIp, with, txn.id,
                single, ZonedDateTime.now());
        sink = new MessageSink(w, dataMode, settings.maxMessageSize(), settings.bareNewline(), submission, received,
                services.headerLimits());
        return true;
    }

    private void bdat(String arg) {
        String[] parts = arg.split(" +");
        long size;
        try {
            size = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            size = -1;
        }
        boolean last = parts.length == 2 && parts[1].equalsIgnoreCase("LAST");
        if (size < 0 || parts.length > 2 || parts.length == 2 && !last) {
            // the chunk length is unknown, so what follows can only be read as commands
            reply(new SmtpReply(501, "5.5.4", "Syntax: BDAT size [LAST]"));
            return;
        }
        bdatRemaining = size;
        bdatLast = last;
        SmtpReply refusal = null;
        if (helo == null) {
            refusal = new SmtpReply(503, "5.5.1", "Error: send HELO/EHLO first");
        } else if (tlsRequiredFirst()) {
            refusal = new SmtpReply(530, "5.7.0", "Must issue a STARTTLS command first");
        } else if (txn == null) {
            refusal = new SmtpReply(503, "5.5.1", "Error: need MAIL command");
        } else if (txn.recipients.isEmpty()) {
            refusal = new SmtpReply(554, "5.5.1", "Error: no valid recipients");
        }
        if (refusal != null) {
            // the chunk is read and dropped; the refusal answers it once it has been consumed
            pendingRefusal = refusal;
        } else if (sink == null) {
            txn.bdat = true;
            if (!openSink(false)) {
                abortTransaction("blob create failed");
                pendingRefusal = NO_REPLY;
            }
        }
        input = Input.BDAT;
        if (bdatRemaining == 0) {
            input = Input.COMMAND;
            endOfChunk();
        }
    }

    private static final SmtpReply NO_REPLY = new SmtpReply(0, "", "");
    private SmtpReply pendingRefusal;

    private void endOfChunk() {
        SmtpReply refusal = pendingRefusal;
        pendingRefusal = null;
        if (refusal != null) {
            if (refusal != NO_REPLY) {
                reply(refusal);
            }
            return;
        }
        if (bdatLast) {
            sink.endRaw();
            endOfMessage();
            return;
        }
        if (sink.problem() != null) {
            // RFC 3030: a failed chunk fails the transaction; the client must start over
            MessageSink.Problem p = sink.problem();
            logDecision(txn.id, txn.sender, recipientList(), "rejected", p.name());
            abortTransaction(p.name());
            reply(p.reply);
            return;
        }
        reply(new SmtpReply(250, "2.0.0", "Ok: " + sink.size() + " octets received"));
    }

    private void endOfMessage() {
        Transaction t = txn;
        MessageSink s = sink;
        if (!s.finish()) {
            MessageSink.Problem p = s.problem();
            logDecision(t.id, t.sender, recipientList(), "rejected", p.name());
            abortTransaction(p.name());
            reply(p.reply);
            return;
        }
        Envelope envelope = new Envelope(t.sender, t.recipients, helo, remoteIp, login,
                settings.mode().isSubmission(), t.ret, t.envId, t.body, t.smtpUtf8, Instant.now());
        CompletionStage<String> stage;
        try {
            stage = s.writer().commit().thenCompose(ref -> services.queue().enqueue(envelope, ref));
        } catch (RuntimeException e) {
            stage = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        sink = null;
        txn = null;
        suspend(stage, (queueId, err) -> {
            if (err != null) {
                // the blob may already be durable; it is reclaimed by the store's garbage collection,
                // never deleted here, because a timed-out enqueue may still have been persisted
                s.writer().close();
                logDecision(t.id, t.sender, recipientList(t), "deferred", "queue write failed: " + rootMessage(err));
                reply(new SmtpReply(451, "4.3.0", "Error: queue file write error"));
            } else {
                LOG.info("session={} txn={} queue={} from=<{}> to={} size={} status=queued", sessionId, t.id, queueId,
                        t.sender, recipientList(t), s.size());
                reply(new SmtpReply(250, "2.0.0", "Ok: queued as " + queueId));
            }
        });
    }

    private static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c != c.getCause()) {
            c = c.getCause();
        }
        return c.toString();
    }

    private void abortTransaction(String why) {
        if (sink != null) {
            sink.writer().abort();
            sink = null;
        }
        txn = null;
        if (input == Input.AUTH) {
            input = Input.COMMAND;
        }
        sasl = null;
    }

    private String recipientList() {
        return txn == null ? "" : recipientList(txn);
    }

    private static String recipientList(Transaction t) {
        StringBuilder sb = new StringBuilder();
        for (EnvelopeRecipient r : t.recipients) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append('<').append(r.address()).append('>');
        }
        return sb.toString();
    }

    private void logDecision(String txnId, String from, String to, String status, String reason) {
        LOG.info("session={} txn={} client={} from=<{}> to={} status={} reason={}", sessionId,
                txnId == null ? "-" : txnId, remoteIp, from, to.startsWith("<") || to.isEmpty() ? to : "<" + to + ">",
                status, reason);
    }
}
