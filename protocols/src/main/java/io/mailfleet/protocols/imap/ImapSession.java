package io.mailfleet.protocols.imap;

import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.protocols.auth.LoginAttempts;
import io.mailfleet.protocols.auth.LoginPolicy;
import io.mailfleet.protocols.flow.BlobUploads;
import io.mailfleet.protocols.flow.ReadGate;
import io.mailfleet.protocols.imap.handler.Capabilities;
import io.mailfleet.protocols.imap.handler.SessionState;
import io.mailfleet.protocols.framing.LineFramer;
import io.mailfleet.protocols.framing.LiteralMarker;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One IMAP connection: framing (lines and literals; APPEND literals are written to the blob store off
 * the event loop, {@link AppendLiteral}, and the connection is read only while that writer has demand) and the
 * connection's state. A framed command goes to {@link SessionContext}, which dispatches it
 * through {@link io.mailfleet.protocols.imap.handler.CommandTable} to the handler of its family and
 * ends it; untagged updates from other sessions come through
 * {@link io.mailfleet.protocols.imap.handler.FolderUpdates}. Runs on its channel's event loop;
 * asynchronous results come back to it.
 */
final class ImapSession extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);
    static final DateTimeFormatter INTERNALDATE = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH);

    private final ImapSettings settings;
    private final ImapServices services;
    private final AuthCache authCache;
    private final LoginPolicy loginPolicy;
    private final SessionState state;
    private ChannelHandlerContext ctx;
    private LineFramer framer;
    /** Holds APPEND literal input back while the blob store is behind. */
    private ReadGate gate;
    private final BlobUploads uploads;
    private String remoteIp = "";
    /** Created once the channel is active. */
    private SessionContext context;

    private List<Object> parts = new ArrayList<>();
    private int commandLength;
    private ByteArrayOutputStream literalMemory;
    /** The APPEND message streaming into the blob store. */
    private AppendLiteral literalMessage;
    private boolean literalDiscard;
    private String rejectReply;
    private final List<BlobWriter> openWriters = new ArrayList<>();

    /** A command is running: no other is read until it ends. */
    private boolean busy;
    private String idleTag;
    private Consumer<String> continuation;

    ImapSession(ImapSettings settings, ImapServices services, boolean tlsActive, AuthCache authCache,
                LoginPolicy loginPolicy, BlobUploads uploads) {
        this.uploads = uploads;
        this.authCache = authCache;
        this.loginPolicy = loginPolicy;
        this.settings = settings;
        this.services = services;
        this.state = new SessionState(settings.delimiter(), tlsActive);
    }

    // ---------------------------------------------------------------- channel events

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.framer = new LineFramer(ctx.alloc());
        this.gate = new ReadGate(ctx, this::process);
        remoteIp = io.mailfleet.protocols.netty.RemoteAddress.ip(ctx.channel());
        LoginAttempts logins = new LoginAttempts(loginPolicy, services.guard().bans(), ctx, "imap");
        context = new SessionContext(this, ctx, remoteIp, settings, services, state, authCache, logins);
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(text("* OK [CAPABILITY " + Capabilities.of(context) + "] Mailfleet ready.\r\n"));
        ctx.channel().config().setAutoRead(true);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        framer.add((ByteBuf) msg);
        process();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cleanup();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // a client held back by a slow store is not idle: the clock is asked again one timeout later
        if (evt instanceof IdleStateEvent && (gate == null || !gate.waiting())) {
            if (context != null) {
                context.byeAndClose("Disconnected for inactivity.");
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("IMAP connection from {} failed: {}", remoteIp, cause.toString());
        ctx.close();
    }

    private void cleanup() {
        if (framer != null) {
            framer.release();
        }
        for (BlobWriter w : openWriters) {
            w.abort();
        }
        openWriters.clear();
        if (literalMessage != null) {
            // the client left mid-literal: the writer is aborted and the partial blob deleted
            literalMessage.abort();
            literalMessage = null;
        }
        if (context != null) {
            context.updates().close();
        }
        if (state.lease != null) {
            state.lease.close();
            state.lease = null;
        }
    }

    // ---------------------------------------------------------------- framing

    private void process() {
        while (!busy && framer.isReadable() && ctx.channel().isActive()) {
            if (framer.counting()) {
                if (literalMessage != null && !gate.admits(literalMessage.demand())) {
                    break;
                }
                consumeLiteral();
                continue;
            }
            // a line may not pass the line limit, nor take the whole command past four times it
            int max = settings.maxLineLength();
            LineFramer.Line line = framer.readLine(Math.min(max, max * 4 - commandLength));
            if (line == null) {
                break;
            }
            if (line.tooLong()) {
                resetCommand();
                if (continuation != null) {
                    // an over-long response (a 100 KB token, say) ends the exchange it answers
                    Consumer<String> c = continuation;
                    continuation = null;
                    c.accept(null);
                    continue;
                }
                ctx.writeAndFlush(text("* BAD Command line too long.\r\n"));
                continue;
            }
            commandLength += line.octets();
            onLine(line.text());
        }
        framer.compact();
        if (ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(!busy && !gate.waiting());
        }
    }

    private void resetCommand() {
        parts = new ArrayList<>();
        commandLength = 0;
        rejectReply = null;
        for (BlobWriter w : openWriters) {
            w.abort();
        }
        openWriters.clear();
    }

    private void onLine(String line) {
        if (continuation != null) {
            Consumer<String> c = continuation;
            continuation = null;
            resetCommand();
            c.accept(line);
            return;
        }
        if (idleTag != null) {
            String tag = idleTag;
            idleTag = null;
            resetCommand();
            if (line.equalsIgnoreCase("DONE")) {
                finish(tag, "OK Idle completed.", true);
            } else {
                finish(tag, "BAD Expected DONE.", true);
            }
            return;
        }
        LiteralMarker m = LiteralMarker.find(line, LiteralMarker.Syntax.IMAP);
        if (m == null) {
            parts.add(line);
            List<Object> command = parts;
            String reject = rejectReply;
            parts = new ArrayList<>();
            commandLength = 0;
            rejectReply = null;
            if (reject != null) {
                openWriters.forEach(BlobWriter::abort);
                openWriters.clear();
                String tag = tagOf(command);
                ctx.writeAndFlush(text((tag == null ? "*" : tag) + " " + reject + "\r\n"));
                return;
            }
            List<BlobWriter> writers = new ArrayList<>(openWriters);
            openWriters.clear();
            dispatch(command, writers);
            return;
        }
        long n = m.octets();
        if (n < 0) {
            // beyond any count a client could send: nothing sensible can follow on this connection
            LOG.debug("IMAP client {} announced a literal beyond 2^63 octets", remoteIp);
            resetCommand();
            ctx.close();
            return;
        }
        boolean nonSync = m.nonSync();
        parts.add(line.substring(0, m.start()));
        boolean message = isAppendMessage(parts);
        long limit = message ? settings.appendLimit() : settings.maxLiteral();
        if (n > limit || rejectReply != null) {
            String reply = rejectReply != null ? rejectReply : message
                    ? "NO [TOOBIG] Message size " + n + " exceeds the limit of " + limit + " octets."
                    : "BAD Literal of " + n + " octets exceeds the limit of " + limit + ".";
            if (!nonSync) {
                String tag = tagOf(parts);
                resetCommand();
                ctx.writeAndFlush(text((tag == null ? "*" : tag) + " " + reply + "\r\n"));
                return;
            }
            rejectReply = reply;
            literalDiscard = true;
            framer.expect(n);
            return;
        }
        if (message) {
            try {
                literalMessage = AppendLiteral.open(uploads, services);
            } catch (IOException e) {
                String tag = tagOf(parts);
                resetCommand();
                LOG.warn("cannot create blob for APPEND: {}", e.toString());
                if (nonSync) {
                    rejectReply = AppendLiteral.CANNOT_STORE;
                    literalDiscard = true;
                    framer.expect(n);
                } else {
                    ctx.writeAndFlush(text((tag == null ? "*" : tag) + " " + AppendLiteral.CANNOT_STORE + "\r\n"));
                }
                return;
            }
        } else {
            literalMemory = new ByteArrayOutputStream((int) Math.min(n, 8192));
        }
        framer.expect(n);
        if (!nonSync) {
            ctx.writeAndFlush(text("+ OK\r\n"));
        }
        if (n == 0) {
            finishLiteral();
        }
    }

    private void consumeLiteral() {
        ByteBuf chunk = framer.readCounted();
        if (literalDiscard) {
            // dropped: the slice is skipped with the rest of the block
        } else if (literalMessage != null) {
            String refusal = literalMessage.feed(chunk.nioBuffer());
            if (refusal != null) {
                // refused while it streams (blob aborted): the rest is read and dropped, the tagged NO
                // follows the command
                literalMessage = null;
                literalDiscard = true;
                rejectReply = refusal;
            }
        } else {
            byte[] b = new byte[chunk.readableBytes()];
            chunk.readBytes(b);
            literalMemory.write(b, 0, b.length);
        }
        if (!framer.counting()) {
            finishLiteral();
        }
    }

    private void finishLiteral() {
        if (literalDiscard) {
            literalDiscard = false;
            parts.add(Literal.inMemory(new byte[0]));
        } else if (literalMessage != null) {
            AppendLiteral m = literalMessage;
            literalMessage = null;
            openWriters.add(m.writer());
            parts.add(m.commit());
        } else {
            parts.add(Literal.inMemory(literalMemory.toByteArray()));
            literalMemory = null;
        }
    }

    private static String tagOf(List<Object> command) {
        if (command.isEmpty() || !(command.get(0) instanceof String s)) {
            return null;
        }
        int sp = s.indexOf(' ');
        String tag = sp < 0 ? s : s.substring(0, sp);
        return validTag(tag) ? tag : null;
    }

    private static boolean validTag(String tag) {
        if (tag.isEmpty() || tag.length() > 100) {
            return false;
        }
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "(){%*\"\\+".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** True when the literal about to start is an APPEND message (tag, APPEND and the mailbox already seen). */
    private static boolean isAppendMessage(List<Object> parts) {
        int tokens = 0;
        String command = null;
        for (Object p : parts) {
            if (p instanceof Literal) {
                tokens++;
                continue;
            }
            String s = (String) p;
            int i = 0;
            int depth = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ' ') {
                    i++;
                    continue;
                }
                int start = i;
                if (c == '"') {
                    i++;
                    while (i < s.length() && s.charAt(i) != '"') {
                        i += s.charAt(i) == '\\' ? 2 : 1;
                    }
                    i++;
                } else if (c == '(') {
                    depth = 1;
                    i++;
                    while (i < s.length() && depth > 0) {
                        depth += s.charAt(i) == '(' ? 1 : s.charAt(i) == ')' ? -1 : 0;
                        i++;
                    }
                } else {
                    while (i < s.length() && s.charAt(i) != ' ') {
                        i++;
                    }
                }
                tokens++;
                if (tokens == 2) {
                    command = s.substring(start, Math.min(i, s.length()));
                }
                if (tokens == 3 && "UID".equalsIgnoreCase(command)) {
                    return false;
                }
            }
        }
        return "APPEND".equalsIgnoreCase(command) && tokens >= 3;
    }

    // ---------------------------------------------------------------- between framing and commands

    static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    /** The tag rule of the framing, for the dispatcher. */
    static boolean validCommandTag(String tag) {
        return validTag(tag);
    }

    private void dispatch(List<Object> command, List<BlobWriter> writers) {
        context.dispatch(command, writers);
    }

    private void finish(String tag, String reply, boolean allowExpunge) {
        context.finish(tag, reply, allowExpunge);
    }

    /** A command started ({@code true}: stop reading) or ended. */
    boolean isBusy() {
        return busy;
    }

    void busy(boolean running) {
        busy = running;
        if (running) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** After a tagged reply: reads the next buffered command, or the network again. */
    void resume() {
        process();
        if (!busy && !gate.waiting() && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    void continueWith(Consumer<String> next) {
        continuation = next;
    }

    void idle(String tag) {
        idleTag = tag;
    }

    boolean idling() {
        return idleTag != null;
    }

    /** STARTTLS: what was pipelined after it in clear text is dropped (CVE-2011-0411 class). */
    void discardPendingInput() {
        framer.clear();
        resetCommand();
    }

    /** COMPRESS: what was pipelined after it is compressed; the caller inflates it. Null when nothing. */
    ByteBuf takePendingInput() {
        return framer.isReadable() ? framer.takeAll() : null;
    }
}
