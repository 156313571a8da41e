package io.mailfleet.protocols.smtp;

import io.mailfleet.protocols.auth.LoginAttempts;
import io.mailfleet.protocols.auth.LoginPolicy;
import io.mailfleet.protocols.flow.BlobUploads;
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
 * transaction state and the DATA/BDAT byte stream ({@link MessageReception} gives the bytes their meaning).
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
    /** What the connect-stage screen learnt (DNSBL score) and the refusal it left for every RCPT. */
    private io.mailfleet.protocols.smtp.check.ClientListing listing = io.mailfleet.protocols.smtp.check.ClientListing.NONE;
    private io.mailfleet.protocols.smtp.check.CheckResult.Refuse sessionRcptRefusal;

    private Transaction txn;
    /** The DATA/BDAT phase of the transaction: the message sink and the BDAT chunk state. */
    private final MessageReception reception;

    private final LoginPolicy loginPolicy;
    /** The command handlers, created when the connection becomes active. */
    private SmtpCommands commands;

    SmtpSession(SmtpSettings settings, SmtpServices services, SmtpPolicy policy,
                AtomicBoolean serverStopping, LoginPolicy loginPolicy, BlobUploads uploads) {
        this.loginPolicy = loginPolicy;
        this.settings = settings;
        this.services = services;
        this.policy = policy;
        this.serverStopping = serverStopping;
        this.reception = new MessageReception(this, uploads);
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
            if ((input == Input.DATA || input == Input.BDAT) && reception.demand() != null
                    && !gate.admits(reception.demand())) {
                break;
            }
            if (input == Input.DATA) {
                if (framer.decodeRaw(FEED_CHUNK, reception::feedDotted)) {
                    input = Input.COMMAND;
                    reception.endOfMessage(txn);
                }
            } else if (input == Input.BDAT) {
                framer.decodeRaw((int) Math.min(reception.chunkRemaining(), FEED_CHUNK), reception::feedChunk);
                if (reception.chunkRemaining() == 0) {
                    input = Input.COMMAND;
                    reception.endOfChunk(txn);
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
            // the limits count the CRLF (RFC 5321 §4.5.3.1.4), the framer the octets before the LF;
            // the rest of an over-long line goes first, so the next line's limit follows its own verb
            framer.finishDiscarding();
            int limit = input == Input.AUTH || framer.startsWithIgnoreCase("AUTH ") ? MAX_AUTH_LINE : MAX_COMMAND;
            LineFramer.Line line = framer.readLine(limit - 1);
            if (line == null) {
                return null;
            }
            if (line.tooLong() && input == Input.AUTH) {
                commands.authResponseTooLong(); // the exchange it answered ends; the next line is a command
            } else if (line.tooLong()) {
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
        return new SmtpPeer(sessionId, remoteIp, remoteAddress, helo, tls, login, listing);
    }

    @Override
    public void screened(io.mailfleet.protocols.smtp.check.CheckResult.Note note) {
        if (note.listing() != null) {
            listing = note.listing();
        }
        if (note.atRcpt() != null) {
            sessionRcptRefusal = note.atRcpt();
        }
    }

    @Override
    public io.mailfleet.protocols.smtp.check.CheckResult.Refuse sessionRcptRefusal() {
        return sessionRcptRefusal;
    }

    @Override
    public boolean trustedClient() {
        return remoteAddress != null && settings().trustedNetworks().stream().anyMatch(c -> c.contains(remoteAddress));
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
        if (!reception.beginData(txn)) {
            return;
        }
        input = Input.DATA;
        reply(new SmtpReply(354, "", "End data with <CR><LF>.<CR><LF>"));
        ctx.flush();
    }

    @Override
    public void beginChunk(long size, boolean last, SmtpReply refusal) {
        input = Input.BDAT;
        if (reception.beginChunk(txn, size, last, refusal)) {
            input = Input.COMMAND;
            reception.endOfChunk(txn);
        }
    }

    /** Whether the client greeted with EHLO (the Received: line's protocol). */
    boolean extended() {
        return esmtp;
    }

    /** The message of the transaction is queued or refused: the next MAIL starts a new one. */
    void transactionDone() {
        txn = null;
    }

    private void abortTransaction(String why) {
        reception.abort();
        txn = null;
        if (input == Input.AUTH) {
            input = Input.COMMAND;
        }
        if (commands != null) {
            commands.cancelAuth();
        }
    }

    @Override
    public void logDecision(String txnId, String from, String to, String status, String reason) {
        LOG.info("session={} txn={} client={} from=<{}> to={} status={} reason={}", sessionId,
                txnId == null ? "-" : txnId, remoteIp, from, to.startsWith("<") || to.isEmpty() ? to : "<" + to + ">",
                status, reason);
    }
}
