package io.mailfleet.protocols.smtp;

import io.mailfleet.protocols.auth.LoginAttempts;
import io.mailfleet.protocols.auth.LoginPolicy;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.protocols.flow.BlobUploads;
import io.mailfleet.protocols.flow.Demand;
import io.mailfleet.protocols.flow.ReadGate;
import io.mailfleet.protocols.framing.LineFramer;
import io.mailfleet.protocols.netty.RemoteAddress;
import io.mailfleet.protocols.smtp.check.SmtpPeer;
import io.mailfleet.protocols.smtp.handler.SmtpCommands;
import io.mailfleet.protocols.smtp.handler.SmtpContext;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * One SMTP connection. Input is processed strictly in order: while an asynchronous step (AUTH,
 * TLS handshake, blob commit and enqueue) is pending, nothing further is read or answered, so
 * pipelined replies never reorder and the socket is back-pressured. Replies are flushed when the
 * buffered input is used up (RFC 2920 batching).
 * Commands are parsed and answered by the handlers of {@link SmtpCommands} through the
 * {@link SmtpContext} this session implements; the session keeps the framing, the connection and
 * transaction state and the DATA/BDAT byte stream.
 */
final class SmtpSession extends ChannelInboundHandlerAdapter implements SmtpContext {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.smtp");
    private static final int MAX_COMMAND = 512;
    private static final int MAX_AUTH_LINE = 12288;
    /** Message bytes handed to the sink at a time, so the store's demand is checked between them. */
    private static final int FEED_CHUNK = 64 * 1024;

    private enum Input { COMMAND, AUTH, DATA, BDAT }

    private final SmtpSettings settings;
    private final SmtpServices services;
    private final SmtpPolicy policy;
    private final String sessionId = SmtpIds.newId();
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
    private String login;

    private Transaction txn;
    private MessageSink sink;
    private long bdatRemaining;
    private boolean bdatLast;

    private final LoginPolicy loginPolicy;
    /** The command handlers, created when the connection becomes active. */
    private SmtpCommands commands;

    SmtpSession(SmtpSettings settings, SmtpServices services, SmtpPolicy policy,
                AtomicBoolean serverStopping, LoginPolicy loginPolicy, BlobUploads uploads) {
        this.loginPolicy = loginPolicy;
        this.uploads = uploads;
        this.settings = settings;
        this.services = services;
        this.policy = policy;
        this.serverStopping = serverStopping;
    }

    // ---- channel events -------------------------------------------------------------------

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        framer = new LineFramer(ctx.alloc());
        gate = new ReadGate(ctx, this::process);
        commands = new SmtpCommands(this, new LoginAttempts(loginPolicy, services.guard().bans(), ctx, "smtp"));
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
                    commands.greet();
                    process();
                } else {
                    LOG.info("session={} client={} TLS handshake failed: {}", sessionId, remoteIp,
                            f.cause() == null ? "closed" : f.cause().getMessage());
                    ctx.close();
                }
            });
        } else {
            commands.greet();
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

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (commands != null) {
            commands.connectionClosed();
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

    @Override
    public void send(SmtpReply reply) {
        String text = reply.enhanced().isEmpty() ? reply.code() + " " + reply.text() : reply.line();
        ctx.write(Unpooled.copiedBuffer(text + "\r\n", StandardCharsets.UTF_8));
    }

    /** Sends a reply; error replies count toward the hard error limit. */
    @Override
    public void reply(SmtpReply reply) {
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
    @Override
    public void abuse(String reason) {
        services.guard().bans().ifPresent(b -> b.reportFailure(remoteIp, "smtp-protocol", reason));
    }

    @Override
    public void close(SmtpReply reply) {
        closing = true;
        abortTransaction("session closed");
        send(reply);
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    // ---- what the command handlers see (SmtpContext) -----------------------------------------

    @Override
    public SmtpSettings settings() {
        return settings;
    }

    @Override
    public SmtpServices services() {
        return services;
    }

    @Override
    public SmtpPolicy policy() {
        return policy;
    }

    @Override
    public ChannelHandlerContext channel() {
        return ctx;
    }

    @Override
    public SmtpPeer client() {
        return new SmtpPeer(sessionId, remoteIp, remoteAddress, helo, tls, login);
    }

    @Override
    public Transaction transaction() {
        return txn;
    }

    @Override
    public boolean closing() {
        return closing;
    }

    @Override
    public void greeted(String name, boolean extended) {
        helo = name;
        esmtp = extended;
    }

    @Override
    public void authenticated(String account) {
        login = account;
    }

    @Override
    public void beginTransaction(Transaction transaction) {
        txn = transaction;
    }

    @Override
    public void resetTransaction(String why) {
        abortTransaction(why);
    }

    @Override
    public void expectAuthResponse(boolean expect) {
        input = expect ? Input.AUTH : Input.COMMAND;
    }

    @Override
    public void sendRaw(CharSequence lines) {
        ctx.write(Unpooled.copiedBuffer(lines, StandardCharsets.US_ASCII));
    }

    @Override
    public <T> void pauseUntil(CompletionStage<T> stage, BiConsumer<T, Throwable> then) {
        suspend(stage, then);
    }

    // ---- commands -------------------------------------------------------------------------

    private void command(String line) {
        commands.dispatch(line);
    }

    private void authContinuation(String line) {
        commands.authResponse(line);
    }

    @Override
    public void startTls() {
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

    @Override
    public void beginData() {
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
        // trace fields from the MAIL checks (Received-SPF) go above our Received:, as RFC 7208 section 9.1 asks
        String received = txn.traceFields + ReceivedHeader.build(settings.hostname(), helo,
                submission ? null : remoteIp, with, txn.id, single, ZonedDateTime.now());
        sink = new MessageSink(w, dataMode, settings.maxMessageSize(), settings.bareNewline(), submission, received,
                services.headerLimits());
        return true;
    }

    @Override
    public void beginChunk(long size, boolean last, SmtpReply refusal) {
        bdatRemaining = size;
        bdatLast = last;
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
        if (commands != null) {
            commands.cancelAuth();
        }
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

    @Override
    public void logDecision(String txnId, String from, String to, String status, String reason) {
        LOG.info("session={} txn={} client={} from=<{}> to={} status={} reason={}", sessionId,
                txnId == null ? "-" : txnId, remoteIp, from, to.startsWith("<") || to.isEmpty() ? to : "<" + to + ">",
                status, reason);
    }
}
