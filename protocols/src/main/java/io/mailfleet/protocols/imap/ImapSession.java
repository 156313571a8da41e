package io.mailfleet.protocols.imap;

import io.mailfleet.protocols.auth.LoginAttempts;
import io.mailfleet.protocols.auth.LoginPolicy;
import io.mailfleet.protocols.netty.ChannelLogin;
import io.mailfleet.protocols.sasl.SaslAuthentication;
import io.mailfleet.protocols.sasl.SaslCredentials;
import io.mailfleet.protocols.sasl.SaslMechanisms;
import io.mailfleet.protocols.sasl.SaslRefusal;
import io.mailfleet.protocols.sasl.SaslStep;
import io.mailfleet.protocols.sasl.TlsOnlyPolicy;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.imap.SearchEvaluator;
import io.mailfleet.core.imap.MessageSorter;
import io.mailfleet.core.imap.SearchKey;
import io.mailfleet.core.imap.SortCriterion;
import io.mailfleet.core.imap.SortData;
import io.mailfleet.core.imap.ThreadNode;
import io.mailfleet.core.imap.Threader;
import io.mailfleet.core.imap.SequenceSet;
import io.mailfleet.core.mailbox.AppendRequest;
import io.mailfleet.core.mailbox.AppendResult;
import io.mailfleet.core.mailbox.CopyResult;
import io.mailfleet.core.mailbox.ExpungeResult;
import io.mailfleet.core.mailbox.FlagOperation;
import io.mailfleet.core.mailbox.FlagUpdate;
import io.mailfleet.core.mailbox.FolderChanges;
import io.mailfleet.core.mailbox.FolderInfo;
import io.mailfleet.core.mailbox.FolderSnapshot;
import io.mailfleet.core.mailbox.MailboxEvent;
import io.mailfleet.core.mailbox.MailboxException;
import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.core.mailbox.StoreResult;
import io.mailfleet.core.mailbox.Usage;
import io.mailfleet.core.service.Authenticator.AuthResult;
import io.mailfleet.core.service.SessionLease;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.compression.JdkZlibDecoder;
import io.netty.handler.codec.compression.JdkZlibEncoder;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One IMAP connection: framing (lines and literals, APPEND literals streamed into the blob store),
 * the RFC 3501 state machine, and the untagged updates from other sessions at the moments RFC 3501
 * allows. Runs on its channel's event loop; asynchronous results come back to it.
 */
final class ImapSession extends ChannelInboundHandlerAdapter {

    /** Octets of References fields read per message for THREAD=REFERENCES. */
    private static final int MAX_REFERENCES = 64 * 1024;
    /** Largest inflated output of one compressed network read under COMPRESS=DEFLATE. */
    static final int MAX_INFLATE_PER_READ = 4 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);
    private static final Pattern LITERAL = Pattern.compile("~?\\{(\\d{1,19})(\\+?)\\}$");
    static final DateTimeFormatter INTERNALDATE = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH);
    private static final DateTimeFormatter APPEND_DATE =
            new java.time.format.DateTimeFormatterBuilder().parseCaseInsensitive()
                    .appendPattern("[ ]d-MMM-yyyy HH:mm:ss Z").toFormatter(Locale.ENGLISH);

    private enum State { NOT_AUTHENTICATED, AUTHENTICATED, SELECTED, LOGOUT }

    private final ImapSettings settings;
    private final ImapServices services;
    private boolean tlsActive;
    private ChannelHandlerContext ctx;
    private ByteBuf buf;
    private String remoteIp = "";

    private List<Object> parts = new ArrayList<>();
    private int commandLength;
    private long literalRemaining;
    private ByteArrayOutputStream literalMemory;
    private BlobWriter literalWriter;
    /** Header limits of the APPEND message streaming into {@link #literalWriter}. */
    private io.mailfleet.core.mime.HeaderLimitScanner literalHeader;
    private boolean literalDiscard;
    private String rejectReply;
    private boolean discardingLine;
    private final List<BlobWriter> openWriters = new ArrayList<>();

    private boolean busy;
    private State state = State.NOT_AUTHENTICATED;
    private String account;
    /** This session's entry in the cluster-wide session registry, once logged in. */
    private SessionLease lease;
    private AutoCloseable watch;
    private SelectedFolder selected;
    /** Keywords announced for {@link #selected}; null when nothing is selected. */
    private KeywordAnnouncer keywords;
    /** A BYE was written: no other untagged response may follow it (RFC 3501 §7.1.5). */
    private boolean byeSent;
    /** A change notification arrived for the selected folder since the last reconciliation. */
    private boolean dirty;
    private boolean syncing;
    private final List<Runnable> afterSync = new ArrayList<>();
    private final List<Long> deferredExpunges = new ArrayList<>();
    private String idleTag;
    private Consumer<String> continuation;
    private boolean condstore;
    private boolean qresync;
    /** RFC 6855: the client sent ENABLE UTF8=ACCEPT; mailbox names travel as UTF-8. */
    private boolean utf8;
    private boolean compressed;
    /** SEARCHRES (RFC 5182): uids of the last SEARCH ... RETURN (SAVE), ascending. */
    private List<Long> savedUids = List.of();
    private final ImapFetch fetch;
    private final AuthCache authCache;
    private final LoginPolicy loginPolicy;
    private LoginAttempts logins;

    ImapSession(ImapSettings settings, ImapServices services, boolean tlsActive, AuthCache authCache,
                LoginPolicy loginPolicy) {
        this.authCache = authCache;
        this.loginPolicy = loginPolicy;
        this.settings = settings;
        this.services = services;
        this.tlsActive = tlsActive;
        this.fetch = new ImapFetch(services.blobs());
    }

    // ---------------------------------------------------------------- channel events

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.buf = ctx.alloc().buffer(1024);
        InetSocketAddress isa = io.mailfleet.protocols.netty.RemoteAddress.of(ctx.channel());
        if (isa != null && isa.getAddress() != null) {
            remoteIp = isa.getAddress().getHostAddress();
        }
        logins = new LoginAttempts(loginPolicy, services.guard().bans(), ctx, "imap");
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(text("* OK [CAPABILITY " + capabilities() + "] Mailfleet ready.\r\n"));
        ctx.channel().config().setAutoRead(true);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            buf.writeBytes(in);
        } finally {
            in.release();
        }
        process();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cleanup();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            byeAndClose("Disconnected for inactivity.");
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("IMAP connection from {} failed: {}", remoteIp, cause.toString());
        ctx.close();
    }

    private void cleanup() {
        if (buf != null) {
            buf.release();
            buf = null;
        }
        for (BlobWriter w : openWriters) {
            w.abort();
        }
        openWriters.clear();
        if (literalWriter != null) {
            literalWriter.abort();
            literalWriter = null;
        }
        closeWatch();
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }

    private void closeWatch() {
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                LOG.debug("closing mailbox watch: {}", e.toString());
            }
            watch = null;
        }
    }

    // ---------------------------------------------------------------- framing

    private void process() {
        while (!busy && buf != null && buf.isReadable() && ctx.channel().isActive()) {
            if (literalRemaining > 0) {
                consumeLiteral();
                continue;
            }
            int eol = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) '\n');
            if (eol < 0) {
                if (buf.readableBytes() > settings.maxLineLength()) {
                    buf.clear();
                    if (!discardingLine) {
                        discardingLine = true;
                        resetCommand();
                        ctx.writeAndFlush(text("* BAD Command line too long.\r\n"));
                    }
                }
                break;
            }
            int len = eol - buf.readerIndex();
            if (discardingLine) {
                buf.skipBytes(len + 1);
                discardingLine = false;
                continue;
            }
            if (len > settings.maxLineLength() || commandLength + len > settings.maxLineLength() * 4) {
                buf.skipBytes(len + 1);
                resetCommand();
                ctx.writeAndFlush(text("* BAD Command line too long.\r\n"));
                continue;
            }
            byte[] line = new byte[len];
            buf.readBytes(line);
            buf.skipBytes(1);
            int l = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
            commandLength += l;
            onLine(new String(line, 0, l, StandardCharsets.UTF_8));
        }
        if (buf != null) {
            buf.discardSomeReadBytes();
        }
        if (ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(!busy);
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
        Matcher m = LITERAL.matcher(line);
        if (!m.find()) {
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
        long n = Long.parseLong(m.group(1));
        boolean nonSync = !m.group(2).isEmpty();
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
            literalRemaining = n;
            return;
        }
        if (message) {
            try {
                literalWriter = services.blobs().create();
                literalHeader = new io.mailfleet.core.mime.HeaderLimitScanner(services.headerLimits());
            } catch (IOException e) {
                String tag = tagOf(parts);
                resetCommand();
                LOG.warn("cannot create blob for APPEND: {}", e.toString());
                if (nonSync) {
                    rejectReply = "NO [SERVERBUG] Cannot store the message.";
                    literalDiscard = true;
                    literalRemaining = n;
                } else {
                    ctx.writeAndFlush(text((tag == null ? "*" : tag) + " NO [SERVERBUG] Cannot store the message.\r\n"));
                }
                return;
            }
        } else {
            literalMemory = new ByteArrayOutputStream((int) Math.min(n, 8192));
        }
        literalRemaining = n;
        if (!nonSync) {
            ctx.writeAndFlush(text("+ OK\r\n"));
        }
        if (n == 0) {
            finishLiteral();
        }
    }

    private void consumeLiteral() {
        int k = (int) Math.min(literalRemaining, buf.readableBytes());
        if (literalDiscard) {
            buf.skipBytes(k);
        } else if (literalWriter != null) {
            java.nio.ByteBuffer chunk = buf.nioBuffer(buf.readerIndex(), k);
            literalHeader.feed(chunk);
            if (literalHeader.exceeded()) {
                // refused while it streams: the rest is read and dropped, the tagged NO follows the command
                dropLiteral("NO [LIMIT] Message header size exceeds limit");
            } else {
                try {
                    literalWriter.write(chunk);
                } catch (IOException e) {
                    LOG.warn("APPEND write failed: {}", e.toString());
                    dropLiteral("NO [SERVERBUG] Cannot store the message.");
                }
            }
            buf.skipBytes(k);
        } else {
            byte[] b = new byte[k];
            buf.readBytes(b);
            literalMemory.write(b, 0, k);
        }
        literalRemaining -= k;
        if (literalRemaining == 0) {
            finishLiteral();
        }
    }

    private void finishLiteral() {
        if (literalDiscard) {
            literalDiscard = false;
            parts.add(Literal.inMemory(new byte[0]));
        } else if (literalWriter != null) {
            BlobWriter w = literalWriter;
            literalWriter = null;
            openWriters.add(w);
            parts.add(Literal.stored(w.commit(), w.size()));
        } else {
            parts.add(Literal.inMemory(literalMemory.toByteArray()));
            literalMemory = null;
        }
    }

    /** Stops storing the APPEND message being received; the command is answered {@code reply}. */
    private void dropLiteral(String reply) {
        literalWriter.abort();
        literalWriter = null;
        literalDiscard = true;
        rejectReply = reply;
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

    // ---------------------------------------------------------------- output

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    private void untagged(String s) {
        if (!byeSent) {
            ctx.write(text("* " + s + "\r\n"));
        }
    }

    /** Writes {@code * BYE text} and closes the connection; nothing untagged follows it. */
    private void byeAndClose(String text) {
        if (!byeSent) {
            byeSent = true;
            ctx.writeAndFlush(text("* BYE " + text + "\r\n")).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Announces the keywords among {@code flags} the client was not told of yet (before a FETCH shows them). */
    private void announceKeywords(Collection<String> flags) {
        if (keywords != null && keywords.learn(flags)) {
            keywords.responses().forEach(this::untagged);
        }
    }

    /** Ends a command: pending updates, the tagged reply, then the next buffered command. */
    private void finish(String tag, String reply, boolean allowExpunge) {
        finish(tag, reply, allowExpunge, false);
    }

    /**
     * Ends a command; when the selected folder changed (or {@code forceSync}, for NOOP and CHECK) the
     * session first reconciles with the mailbox, so the untagged updates precede the tagged reply.
     */
    private void finish(String tag, String reply, boolean allowExpunge, boolean forceSync) {
        if (!ctx.channel().isActive()) {
            return;
        }
        // A refused command reports no news: an EXISTS for a message the command was refused for
        // would contradict the refusal (the next command reconciles instead).
        if (selected != null && (dirty || forceSync || syncing) && !reply.startsWith("BAD")) {
            busy = true;
            ctx.channel().config().setAutoRead(false);
            sync(() -> complete(tag, reply, allowExpunge));
            return;
        }
        complete(tag, reply, allowExpunge);
    }

    private void complete(String tag, String reply, boolean allowExpunge) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (allowExpunge) {
            flushDeferredExpunges();
        }
        ctx.writeAndFlush(text(tag + " " + replyText(reply) + "\r\n"));
        busy = false;
        if (state == State.LOGOUT) {
            ctx.close();
            return;
        }
        process();
        if (!busy && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /**
     * A reply text is 7-bit (RFC 3501 TEXT-CHAR) unless UTF-8 is enabled: a mailbox name quoted in
     * an error message goes in modified UTF-7 then, as the client would write it.
     */
    private String replyText(String reply) {
        // a text quoting client input (a charset, a date) never breaks the response line
        reply = reply.replace('\r', ' ').replace('\n', ' ').replace('\0', ' ');
        if (utf8 || reply.chars().allMatch(c -> c < 0x7f)) {
            return reply;
        }
        return io.mailfleet.core.imap.ModifiedUtf7.encode(reply);
    }

    private <T> void async(String tag, String name, CompletionStage<T> stage, Consumer<T> onOk) {
        busy = true;
        ctx.channel().config().setAutoRead(false);
        stage.whenCompleteAsync((v, err) -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            if (err != null) {
                fail(tag, name, err);
                return;
            }
            try {
                onOk.accept(v);
            } catch (ImapParseException e) {
                finish(tag, "BAD Error in IMAP command " + name + ": " + e.getMessage(), true);
            } catch (RuntimeException e) {
                fail(tag, name, e);
            }
        }, ctx.executor());
    }

    private void fail(String tag, String name, Throwable err) {
        Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (e instanceof MailboxException me) {
            finish(tag, "NO [" + me.code() + "] " + me.getMessage(), true);
        } else {
            LOG.warn("IMAP {} failed for {}: {}", name, account, e.toString());
            finish(tag, "NO [SERVERUNAVAILABLE] Internal error occurred. Refer to server log for more information.",
                    true);
        }
    }

    String capabilities() {
        StringBuilder sb = new StringBuilder("IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE");
        if (state == State.NOT_AUTHENTICATED) {
            if (!tlsActive && services.tls().enabled()) {
                sb.append(" STARTTLS");
            }
            boolean clear = plaintextAllowed();
            for (String m : SaslMechanisms.STANDARD.offered(clear)) {
                sb.append(" AUTH=").append(m);
            }
            if (!clear) {
                sb.append(" LOGINDISABLED");
            }
        } else {
            sb.append(" NAMESPACE UIDPLUS MOVE UNSELECT CHILDREN SPECIAL-USE QUOTA QUOTA=RES-STORAGE")
                    .append(" APPENDLIMIT=").append(settings.appendLimit())
                    .append(" CONDSTORE QRESYNC ESEARCH SEARCHRES SORT THREAD=ORDEREDSUBJECT THREAD=REFERENCES")
                    .append(" LIST-EXTENDED LIST-STATUS CREATE-SPECIAL-USE STATUS=SIZE BINARY MULTIAPPEND");
            if (settings.utf8Accept()) {
                sb.append(" UTF8=ACCEPT");
            }
            if (!compressed) {
                sb.append(" COMPRESS=DEFLATE");
            }
        }
        return sb.toString();
    }

    private boolean plaintextAllowed() {
        // With no certificate at all (SSL_TYPE empty) there is nothing to upgrade to: like the SMTP
        // submission port, logins are accepted in clear and the server logs that TLS is off.
        if (TlsOnlyPolicy.secretsAllowed(tlsActive, services.tls().enabled())) {
            return true;
        }
        if (settings.plaintextOnLoopback()) {
            InetSocketAddress r = io.mailfleet.protocols.netty.RemoteAddress.of(ctx.channel());
            return r != null && r.getAddress() != null && r.getAddress().isLoopbackAddress();
        }
        return false;
    }

    // ---------------------------------------------------------------- dispatch

    private void dispatch(List<Object> command, List<BlobWriter> writers) {
        Args a = new Args(command);
        String tag;
        try {
            tag = a.atom();
            if (!validTag(tag)) {
                throw new ImapParseException("invalid tag");
            }
            a.sp();
        } catch (ImapParseException e) {
            writers.forEach(BlobWriter::abort);
            ctx.writeAndFlush(text("* BAD Error in IMAP command received by server.\r\n"));
            return;
        }
        String name = "";
        try {
            name = a.atom().toUpperCase(Locale.ROOT);
        } catch (ImapParseException e) {
            writers.forEach(BlobWriter::abort);
            finish(tag, "BAD Error in IMAP command : " + e.getMessage(), true);
            return;
        }
        if (selected != null && (dirty || syncing) && FRESH_VIEW_COMMANDS.contains(name)) {
            // Sequence numbers the client sent may name messages it learnt of from another session's
            // change that this session has not reconciled yet: reconcile first (new messages only
            // extend the view, expunges stay deferred), so EXISTS n is never followed by a refusal of n.
            busy = true;
            ctx.channel().config().setAutoRead(false);
            String verb = name;
            sync(() -> run(tag, verb, a, writers));
            return;
        }
        run(tag, name, a, writers);
    }

    /** Commands that read the selected folder's view by sequence number or report its state. */
    private static final Set<String> FRESH_VIEW_COMMANDS =
            Set.of("FETCH", "STORE", "SEARCH", "SORT", "THREAD", "COPY", "MOVE", "UID");

    private void run(String tag, String name, Args a, List<BlobWriter> writers) {
        try {
            execute(tag, name, a, writers);
        } catch (ImapParseException e) {
            writers.forEach(BlobWriter::abort);
            busy = false;
            finish(tag, "BAD Error in IMAP command " + name + ": " + e.getMessage(), true);
        } catch (MailboxException e) {
            busy = false;
            finish(tag, "NO [" + e.code() + "] " + e.getMessage(), true);
        } catch (RuntimeException e) {
            LOG.warn("IMAP {} failed: {}", name, e.toString(), e);
            writers.forEach(BlobWriter::abort);
            busy = false;
            finish(tag, "BAD Error in IMAP command " + name + ": " + e.getMessage(), true);
        }
    }

    private void requireState(State... allowed) {
        for (State s : allowed) {
            if (state == s) {
                return;
            }
        }
        throw new ImapParseException("Command not valid in this state (" + stateName() + ")");
    }

    private String stateName() {
        return switch (state) {
            case NOT_AUTHENTICATED -> "not authenticated";
            case AUTHENTICATED -> "authenticated";
            case SELECTED -> "selected";
            case LOGOUT -> "logout";
        };
    }

    private void execute(String tag, String name, Args a, List<BlobWriter> writers) {
        if (!name.equals("APPEND") && !writers.isEmpty()) {
            writers.forEach(BlobWriter::abort);
        }
        switch (name) {
            case "CAPABILITY" -> {
                a.end();
                untagged("CAPABILITY " + capabilities());
                finish(tag, "OK Capability completed.", true);
            }
            case "NOOP", "CHECK" -> {
                a.end();
                if (name.equals("CHECK")) {
                    requireState(State.SELECTED);
                }
                finish(tag, "OK " + (name.equals("NOOP") ? "NOOP" : "Check") + " completed.", true, true);
            }
            case "LOGOUT" -> {
                a.end();
                untagged("BYE Logging out");
                byeSent = true;
                state = State.LOGOUT;
                // no reconciliation and no pending EXPUNGE: nothing untagged may follow the BYE
                complete(tag, "OK Logout completed.", false);
            }
            case "ID" -> {
                a.sp();
                if (a.tryChar('(')) {
                    while (!a.tryChar(')')) {
                        a.tryChar(' ');
                        if (a.peek() == 'N' || a.peek() == 'n') {
                            a.atom();
                        } else {
                            a.string();
                        }
                    }
                } else {
                    a.atom();
                }
                a.end();
                untagged("ID (\"name\" \"Mailfleet\" \"vendor\" \"Mailfleet\")");
                finish(tag, "OK ID completed.", true);
            }
            case "STARTTLS" -> startTls(tag, a);
            case "LOGIN" -> login(tag, a);
            case "AUTHENTICATE" -> authenticate(tag, a);
            case "ENABLE" -> enable(tag, a);
            case "SELECT", "EXAMINE" -> select(tag, name, a);
            case "CREATE" -> create(tag, a);
            case "DELETE" -> {
                requireState(State.AUTHENTICATED, State.SELECTED);
                a.sp();
                String mbox = mailbox(a);
                a.end();
                if (selected != null && selected.name.equals(mbox)) {
                    throw new MailboxException("CANNOT", "Can't delete the selected mailbox.");
                }
                async(tag, name, services.mailboxes().delete(account, mbox, settings.delimiter()),
                        v -> finish(tag, "OK Delete completed.", true));
            }
            case "RENAME" -> {
                requireState(State.AUTHENTICATED, State.SELECTED);
                a.sp();
                String from = mailbox(a);
                a.sp();
                String to = mailbox(a);
                a.end();
                async(tag, name, services.mailboxes().rename(account, from, to, settings.delimiter()),
                        v -> finish(tag, "OK Rename completed.", true));
            }
            case "SUBSCRIBE", "UNSUBSCRIBE" -> {
                requireState(State.AUTHENTICATED, State.SELECTED);
                a.sp();
                String mbox = mailbox(a);
                a.end();
                boolean sub = name.equals("SUBSCRIBE");
                async(tag, name, services.mailboxes().subscribe(account, mbox, sub),
                        v -> finish(tag, "OK " + (sub ? "Subscribe" : "Unsubscribe") + " completed.", true));
            }
            case "LIST", "LSUB" -> list(tag, name, a);
            case "STATUS" -> status(tag, a);
            case "NAMESPACE" -> {
                requireState(State.AUTHENTICATED, State.SELECTED);
                a.end();
                untagged("NAMESPACE ((\"\" \"" + settings.delimiter() + "\")) NIL NIL");
                finish(tag, "OK Namespace completed.", true);
            }
            case "GETQUOTAROOT", "GETQUOTA" -> quota(tag, name, a);
            case "SETQUOTA" -> {
                requireState(State.AUTHENTICATED, State.SELECTED);
                finish(tag, "NO [NOPERM] Quota is set by the administrator.", true);
            }
            case "APPEND" -> append(tag, a, writers);
            case "IDLE" -> {
                requireState(State.AUTHENTICATED, State.SELECTED);
                a.end();
                idleTag = tag;
                flushDeferredExpunges();
                ctx.writeAndFlush(text("+ idling\r\n"));
                if (selected != null) {
                    sync(ctx::flush);
                }
            }
            case "CLOSE", "UNSELECT" -> {
                requireState(State.SELECTED);
                a.end();
                SelectedFolder s = selected;
                if (name.equals("CLOSE") && !s.readOnly) {
                    async(tag, name, services.mailboxes().expunge(account, s.name, null), r -> {
                        unselect();
                        finish(tag, "OK Close completed.", false);
                    });
                } else {
                    unselect();
                    finish(tag, "OK " + (name.equals("CLOSE") ? "Close" : "Unselect") + " completed.", false);
                }
            }
            case "EXPUNGE" -> expunge(tag, a, false);
            case "SEARCH" -> search(tag, a, false);
            case "SORT" -> sort(tag, a, false);
            case "THREAD" -> thread(tag, a, false);
            case "COMPRESS" -> compress(tag, a);
            case "FETCH" -> fetch(tag, a, false);
            case "STORE" -> store(tag, a, false);
            case "COPY", "MOVE" -> copy(tag, a, false, name.equals("MOVE"));
            case "UID" -> {
                requireState(State.SELECTED);
                a.sp();
                String sub = a.atom().toUpperCase(Locale.ROOT);
                switch (sub) {
                    case "FETCH" -> fetch(tag, a, true);
                    case "STORE" -> store(tag, a, true);
                    case "SEARCH" -> search(tag, a, true);
                    case "SORT" -> sort(tag, a, true);
                    case "THREAD" -> thread(tag, a, true);
                    case "COPY", "MOVE" -> copy(tag, a, true, sub.equals("MOVE"));
                    case "EXPUNGE" -> expunge(tag, a, true);
                    default -> throw new ImapParseException("unknown UID command " + sub);
                }
            }
            default -> finish(tag, "BAD Error in IMAP command " + name + ": Unknown command.", true);
        }
    }

    private String mailbox(Args a) {
        return MailboxNames.fromWire(a.astring(), settings.delimiter(), utf8);
    }

    // ---------------------------------------------------------------- authentication

    private void startTls(String tag, Args a) {
        a.end();
        requireState(State.NOT_AUTHENTICATED);
        if (tlsActive || !services.tls().enabled()) {
            finish(tag, "BAD TLS is already active or not available.", true);
            return;
        }
        // Anything pipelined after STARTTLS was sent in clear text: discard it (CVE-2011-0411 class).
        buf.clear();
        resetCommand();
        SslHandler ssl = services.tls().newHandler(ctx.alloc(), true);
        ctx.pipeline().addFirst("tls", ssl);
        // The handler passes this first write in clear text (startTls mode), then negotiates.
        ctx.writeAndFlush(text(tag + " OK Begin TLS negotiation now.\r\n"));
        tlsActive = true;
        ssl.handshakeFuture().addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
            }
        });
    }

    private void login(String tag, Args a) {
        requireState(State.NOT_AUTHENTICATED);
        a.sp();
        String user = a.astring();
        a.sp();
        String pass = a.astring();
        a.end();
        if (!plaintextAllowed()) {
            finish(tag, "NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.",
                    true);
            return;
        }
        doAuth(tag, "LOGIN", user, pass);
    }

    private void doAuth(String tag, String name, String user, String pass) {
        // Through the login policy, so a banned address is refused even with a cached password.
        CompletionStage<AuthResult> verified = logins.verify(() -> {
            String known = authCache.get(user, pass);
            return known != null ? CompletableFuture.completedFuture(AuthResult.ok(known))
                    : services.authenticator().authenticate(user, pass, "imap", remoteIp).thenApply(r -> {
                        if (r.success()) {
                            authCache.put(user, pass, r.account());
                        }
                        return r;
                    });
        });
        async(tag, name, verified, (AuthResult r) -> {
            if (!r.success()) {
                if (logins.exhausted()) {
                    logins.hangUp(tag + " NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"
                            + "* BYE Too many invalid authentication attempts.\r\n");
                    return;
                }
                finish(tag, "NO [AUTHENTICATIONFAILED] Authentication failed.", true);
                return;
            }
            // The per-user-and-IP limit counts this account's IMAP sessions on every node.
            CompletionStage<Optional<SessionLease>> opened = services.sessions().open(r.account(), "imap", remoteIp,
                    settings.maxConnectionsPerUserIp(), this::kickedByOperator);
            opened.whenCompleteAsync((l, err) -> {
                if (l != null && l.isPresent() && !ctx.channel().isActive()) {
                    l.get().close(); // the client left while the registry answered: nothing else will close it
                }
            }, ctx.executor());
            async(tag, name, opened, (Optional<SessionLease> admitted) -> {
                if (admitted.isEmpty()) {
                    finish(tag, "NO [LIMIT] Maximum number of connections from user+IP exceeded"
                            + " (mail_max_userip_connections=" + settings.maxConnectionsPerUserIp() + ")", true);
                    return;
                }
                lease = admitted.get();
                account = r.account();
                // Creates the special-use folders on first login, and starts change notifications.
                async(tag, name, services.mailboxes().folders(account), folders -> {
                    state = State.AUTHENTICATED;
                    ChannelLogin.markAuthenticated(ctx.channel(), account);
                    watch = services.mailboxes().watch(account, e -> ctx.executor().execute(() -> onEvent(e)));
                    finish(tag, "OK [CAPABILITY " + capabilities() + "] Logged in", true);
                });
            });
        });
    }

    /** Called on any thread when an operator kicks this session: say goodbye and close on the event loop. */
    private void kickedByOperator() {
        ctx.executor().execute(() -> {
            if (ctx.channel().isActive()) {
                LOG.info("IMAP session of {} from {} kicked by an operator", account, remoteIp);
                ctx.writeAndFlush(text("* BYE Disconnected by the administrator.\r\n"))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    private void authenticate(String tag, Args a) {
        requireState(State.NOT_AUTHENTICATED);
        a.sp();
        String mech = a.atom();
        String initial = null;
        if (a.tryChar(' ')) {
            initial = a.atom("=+/");
        }
        a.end();
        SaslAuthentication sasl = SaslMechanisms.STANDARD.start(mech, plaintextAllowed());
        saslStep(tag, sasl, sasl.begin(initial));
    }

    /** Maps one step of the shared SASL exchange to IMAP: {@code + } continuations, tagged NO/BAD. */
    private void saslStep(String tag, SaslAuthentication sasl, SaslStep step) {
        if (step instanceof SaslStep.Challenge c) {
            ctx.writeAndFlush(text("+ " + c.base64() + "\r\n"));
            continuation = line -> saslStep(tag, sasl, sasl.respond(line));
        } else if (step instanceof SaslStep.Authenticate a && a.credentials() instanceof SaslCredentials.Password p) {
            doAuth(tag, "AUTHENTICATE", p.authenticationId(), p.password());
        } else {
            SaslRefusal r = step instanceof SaslStep.Refused refused ? refused.reason() : SaslRefusal.UNSUPPORTED_MECHANISM;
            finish(tag, ImapSaslReplies.refusal(r), true);
        }
    }

    private void enable(String tag, Args a) {
        requireState(State.AUTHENTICATED, State.SELECTED);
        List<String> enabled = new ArrayList<>();
        List<String> asked = new ArrayList<>();
        while (a.tryChar(' ')) {
            asked.add(a.atom().toUpperCase(Locale.ROOT));
        }
        a.end();
        if (asked.contains("UTF8=ACCEPT") && settings.utf8Accept() && state == State.SELECTED) {
            // Names already sent for the selected mailbox were modified UTF-7; RFC 5161 §3.1 allows
            // ENABLE only before a mailbox is selected.
            throw new ImapParseException("ENABLE UTF8=ACCEPT is only valid before a mailbox is selected");
        }
        for (String cap : asked) {
            if (cap.equals("UTF8=ACCEPT") && settings.utf8Accept() && !enabled.contains(cap)) {
                utf8 = true;
                enabled.add(cap);
            } else if (cap.equals("CONDSTORE") && !enabled.contains(cap)) {
                enableCondstore();
                enabled.add(cap);
            } else if (cap.equals("QRESYNC") && !enabled.contains(cap)) {
                // QRESYNC implies CONDSTORE (RFC 7162 §3.2.3).
                enableCondstore();
                qresync = true;
                enabled.add(cap);
            }
        }
        untagged("ENABLED" + (enabled.isEmpty() ? "" : " " + String.join(" ", enabled)));
        finish(tag, "OK Enabled.", true);
    }

    /**
     * Turns CONDSTORE on; when a mailbox is selected the client learns its HIGHESTMODSEQ now
     * (RFC 7162 §3.1: a CONDSTORE enabling command while selected).
     */
    private void enableCondstore() {
        if (!condstore && selected != null) {
            untagged("OK [HIGHESTMODSEQ " + Math.max(1, selected.highestModseq) + "] Highest");
        }
        condstore = true;
    }

    /** SELECT (QRESYNC (uidvalidity modseq [known-uids [seq-match-data]])). */
    private record QresyncParams(long uidValidity, long modseq, String knownUids) {
    }

    // ---------------------------------------------------------------- folders

    private void select(String tag, String name, Args a) {
        requireState(State.AUTHENTICATED, State.SELECTED);
        a.sp();
        String mbox = mailbox(a);
        QresyncParams qr = null;
        if (a.tryChar(' ')) {
            a.expect('(');
            while (true) {
                String p = a.atom().toUpperCase(Locale.ROOT);
                if (p.equals("CONDSTORE")) {
                    condstore = true;
                } else if (p.equals("QRESYNC")) {
                    if (!qresync) {
                        throw new ImapParseException("QRESYNC must be enabled first (ENABLE QRESYNC)");
                    }
                    qr = parseQresync(a);
                } else {
                    throw new ImapParseException("unknown SELECT parameter " + p);
                }
                if (a.tryChar(')')) {
                    break;
                }
                a.sp();
            }
        }
        a.end();
        QresyncParams resync = qr;
        boolean readOnly = name.equals("EXAMINE");
        if (selected != null) {
            unselect();
            untagged("OK [CLOSED] Previous mailbox closed.");
        }
        async(tag, name, services.mailboxes().select(account, mbox, !readOnly), (FolderSnapshot snap) -> {
            SelectedFolder s = new SelectedFolder(snap.folder(), readOnly, snap.uidValidity(), snap.uidNext(),
                    snap.highestModseq(), snap.messages());
            s.recent.addAll(snap.recent());
            selected = s;
            savedUids = List.of();
            dirty = false;
            state = State.SELECTED;
            keywords = new KeywordAnnouncer(s.keywords(), readOnly);
            keywords.responses().forEach(this::untagged);
            untagged(s.count() + " EXISTS");
            untagged(s.recent.size() + " RECENT");
            int unseen = s.unseenFirst();
            if (unseen > 0) {
                untagged("OK [UNSEEN " + unseen + "] First unseen.");
            }
            untagged("OK [UIDVALIDITY " + s.uidValidity + "] UIDs valid");
            untagged("OK [UIDNEXT " + s.uidNext + "] Predicted next UID");
            untagged("OK [HIGHESTMODSEQ " + Math.max(1, s.highestModseq) + "] Highest");
            String done = "OK [" + (readOnly ? "READ-ONLY" : "READ-WRITE") + "] " + (readOnly ? "Examine" : "Select")
                    + " completed.";
            if (resync == null || resync.uidValidity() != s.uidValidity) {
                finish(tag, done, true);
                return;
            }
            async(tag, name, services.mailboxes().expungedSince(account, s.name, resync.modseq()), vanished -> {
                if (selected != s) {
                    finish(tag, done, true);
                    return;
                }
                List<Long> known = filterUids(vanished, resync.knownUids());
                if (!known.isEmpty()) {
                    untagged("VANISHED (EARLIER) " + SequenceSet.format(known));
                }
                for (int i = 0; i < s.count(); i++) {
                    MessageView m = s.messages.get(i);
                    if (m.modseq() > resync.modseq()) {
                        untagged((i + 1) + " FETCH (UID " + m.uid() + " FLAGS (" + String.join(" ", s.flagsOf(m))
                                + ") MODSEQ (" + Math.max(1, m.modseq()) + "))");
                    }
                }
                finish(tag, done, true);
            });
        });
    }

    private static QresyncParams parseQresync(Args a) {
        a.sp();
        a.expect('(');
        long validity = a.number();
        a.sp();
        long modseq = a.number();
        String known = null;
        if (a.tryChar(' ')) {
            if (a.peek() != '(') {
                known = a.atom("*");
                checkSet(known);
                a.tryChar(' ');
            }
            if (a.tryChar('(')) {
                // Sequence match data only narrows what the server reports; every change is reported anyway.
                checkSet(a.atom("*"));
                a.sp();
                checkSet(a.atom("*"));
                a.expect(')');
            }
        }
        a.expect(')');
        if (validity == 0 || modseq == 0) {
            throw new ImapParseException("QRESYNC uidvalidity and modseq must be positive");
        }
        return new QresyncParams(validity, modseq, known);
    }

    private static void checkSet(String set) {
        try {
            SequenceSet.parse(set);
        } catch (IllegalArgumentException e) {
            throw new ImapParseException(e.getMessage());
        }
    }

    /** {@code uids} limited to the set {@code setText} (all when null). */
    private static List<Long> filterUids(List<Long> uids, String setText) {
        List<Long> sorted = new ArrayList<>(new TreeSet<>(uids));
        if (setText == null) {
            return sorted;
        }
        SequenceSet set = SequenceSet.parse(setText);
        long max = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1);
        List<Long> out = new ArrayList<>();
        for (long u : sorted) {
            if (set.contains(u, max)) {
                out.add(u);
            }
        }
        return out;
    }

    private void unselect() {
        selected = null;
        keywords = null;
        savedUids = List.of();
        state = State.AUTHENTICATED;
        dirty = false;
        deferredExpunges.clear();
    }

    private void create(String tag, Args a) {
        requireState(State.AUTHENTICATED, State.SELECTED);
        a.sp();
        String wire = a.astring();
        String specialUse = null;
        if (a.tryChar(' ')) {
            a.expect('(');
            String kw = a.atom().toUpperCase(Locale.ROOT);
            if (!kw.equals("USE")) {
                throw new ImapParseException("unknown CREATE parameter " + kw);
            }
            a.sp();
            a.expect('(');
            List<String> uses = new ArrayList<>();
            while (!a.tryChar(')')) {
                if (!uses.isEmpty()) {
                    a.sp();
                }
                uses.add(a.atom("\\"));
            }
            a.expect(')');
            if (uses.size() > 1) {
                throw new MailboxException("USEATTR", "Only one special-use attribute per mailbox.");
            }
            if (uses.size() == 1) {
                specialUse = specialUse(uses.get(0));
            }
        }
        a.end();
        String full = MailboxNames.fromWire(wire, settings.delimiter(), utf8);
        if (full.isEmpty()) {
            throw new ImapParseException("empty mailbox name");
        }
        if (full.equals("INBOX")) {
            throw new MailboxException("ALREADYEXISTS", "Mailbox already exists");
        }
        String d = String.valueOf(settings.delimiter());
        List<String> names = new ArrayList<>();
        String[] levels = full.split(Pattern.quote(d), -1);
        StringBuilder sb = new StringBuilder();
        for (String level : levels) {
            if (level.isEmpty()) {
                throw new ImapParseException("mailbox name has an empty hierarchy level");
            }
            if (sb.length() > 0) {
                sb.append(d);
            }
            sb.append(level);
            names.add(sb.toString());
        }
        async(tag, "CREATE", services.mailboxes().create(account, names, specialUse),
                v -> finish(tag, "OK Create completed.", true));
    }

    /** The RFC 6154 attribute for CREATE (USE (...)), refused with USEATTR when unsupported. */
    private static String specialUse(String attr) {
        for (String u : List.of("\\Archive", "\\Drafts", "\\Junk", "\\Sent", "\\Trash")) {
            if (u.equalsIgnoreCase(attr)) {
                return u;
            }
        }
        throw new MailboxException("USEATTR", "Special-use attribute " + attr + " not supported"
                + (attr.equalsIgnoreCase("\\All") || attr.equalsIgnoreCase("\\Flagged") ? " (virtual mailboxes)" : "")
                + ".");
    }

    private void list(String tag, String name, Args a) {
        requireState(State.AUTHENTICATED, State.SELECTED);
        a.sp();
        boolean lsub = name.equals("LSUB");
        ListOptions opts = new ListOptions();
        if (!lsub && a.peek() == '(') {
            opts.parseSelection(a);
            a.sp();
        }
        String ref = MailboxNames.fromWire(a.astring(), settings.delimiter(), utf8);
        a.sp();
        List<String> patterns = new ArrayList<>();
        if (!lsub && a.tryChar('(')) {
            while (true) {
                patterns.add(a.astring("*%"));
                if (a.tryChar(')')) {
                    break;
                }
                a.sp();
            }
            opts.extended = true;
        } else {
            patterns.add(a.astring("*%"));
        }
        if (!lsub && a.tryChar(' ')) {
            opts.parseReturn(a);
        }
        a.end();
        if (patterns.size() == 1 && patterns.get(0).isEmpty() && !lsub) {
            untagged("LIST (\\Noselect) \"" + settings.delimiter() + "\" \"\"");
            finish(tag, "OK List completed.", true);
            return;
        }
        List<Pattern> res = new ArrayList<>();
        try {
            for (String pattern : patterns) {
                res.add(MailboxNames.pattern(ref, decodePattern(pattern), settings.delimiter()));
            }
        } catch (IllegalArgumentException e) {
            throw new ImapParseException(e.getMessage());
        }
        async(tag, name, services.mailboxes().folders(account), (List<FolderInfo> folders) -> {
            Set<String> names = new HashSet<>();
            folders.stream().filter(FolderInfo::exists).forEach(f -> names.add(f.name()));
            String prefixEnd = String.valueOf(settings.delimiter());
            for (FolderInfo f : sorted(folders)) {
                boolean matches = res.stream().anyMatch(re -> re.matcher(f.name()).matches());
                if (!matches) {
                    continue;
                }
                boolean subscribedChild = opts.recursiveMatch && folders.stream().anyMatch(x -> x.subscribed()
                        && x.name().startsWith(f.name() + prefixEnd));
                if (lsub && !f.subscribed()
                        || opts.selectSubscribed && !f.subscribed() && !subscribedChild
                        || opts.selectSpecialUse && f.specialUse() == null
                        || !f.exists() && !lsub && !opts.selectSubscribed) {
                    continue;
                }
                List<String> attrs = new ArrayList<>();
                if (!f.exists()) {
                    // a subscription that outlived its folder (RFC 3501 §6.3.6, RFC 5258 §3.4)
                    attrs.add(lsub ? "\\Noselect" : "\\NonExistent");
                }
                boolean children = names.stream().anyMatch(n -> n.startsWith(f.name() + prefixEnd));
                if (!lsub) {
                    if (!opts.extended || opts.returnChildren) {
                        attrs.add(children ? "\\HasChildren" : "\\HasNoChildren");
                    }
                    if (f.specialUse() != null) {
                        attrs.add(f.specialUse());
                    }
                    if (f.subscribed() && (!opts.extended || opts.returnSubscribed || opts.selectSubscribed)) {
                        attrs.add("\\Subscribed");
                    }
                }
                String ext = subscribedChild && !f.subscribed() ? " (\"CHILDINFO\" (\"SUBSCRIBED\"))" : "";
                untagged(name + " (" + String.join(" ", attrs) + ") \"" + settings.delimiter() + "\" "
                        + MailboxNames.toWire(f.name(), utf8) + ext);
                if (opts.status != null && f.exists() && (!opts.selectSubscribed || f.subscribed())) {
                    untagged(statusLine(f, opts.status));
                }
            }
            if (lsub) {
                // RFC 3501 §6.3.9: "%" stops above a subscribed child; its parent is listed \Noselect
                for (String parent : LsubParents.of(folders, res, settings.delimiter())) {
                    untagged("LSUB (\\Noselect) \"" + settings.delimiter() + "\" " + MailboxNames.toWire(parent, utf8));
                }
            }
            finish(tag, "OK " + (lsub ? "Lsub" : "List") + " completed.", true);
        });
    }

    private String decodePattern(String wire) {
        return MailboxNames.decode(wire, utf8);
    }

    private static List<FolderInfo> sorted(List<FolderInfo> folders) {
        List<FolderInfo> out = new ArrayList<>(folders);
        out.sort((x, y) -> x.name().equals("INBOX") ? -1 : y.name().equals("INBOX") ? 1 : x.name().compareTo(y.name()));
        return out;
    }

    private void status(String tag, Args a) {
        requireState(State.AUTHENTICATED, State.SELECTED);
        a.sp();
        String mbox = mailbox(a);
        a.sp();
        List<String> items = statusItems(a);
        a.end();
        async(tag, "STATUS", services.mailboxes().folders(account), (List<FolderInfo> folders) -> {
            FolderInfo f = folders.stream().filter(x -> x.exists() && x.name().equals(mbox)).findFirst()
                    .orElseThrow(() -> new MailboxException("NONEXISTENT", "Mailbox doesn't exist."));
            untagged(statusLine(f, items));
            finish(tag, "OK Status completed.", true);
        });
    }

    /** A parenthesised list of STATUS items (RFC 3501, HIGHESTMODSEQ of RFC 7162, SIZE of RFC 8438). */
    static List<String> statusItems(Args a) {
        a.expect('(');
        List<String> items = new ArrayList<>();
        while (true) {
            String item = a.atom().toUpperCase(Locale.ROOT);
            if (!Set.of("MESSAGES", "RECENT", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "HIGHESTMODSEQ", "SIZE")
                    .contains(item)) {
                throw new ImapParseException("unknown STATUS item " + item);
            }
            items.add(item);
            if (a.tryChar(')')) {
                break;
            }
            a.sp();
        }
        return items;
    }

    private String statusLine(FolderInfo f, List<String> items) {
            List<String> out = new ArrayList<>();
            for (String item : items) {
                long v = switch (item) {
                    case "MESSAGES" -> f.messages();
                    case "RECENT" -> f.recent();
                    case "UIDNEXT" -> f.uidNext();
                    case "UIDVALIDITY" -> f.uidValidity();
                    case "UNSEEN" -> f.unseen();
                    case "HIGHESTMODSEQ" -> Math.max(1, f.highestModseq());
                    default -> f.size();
                };
                out.add(item + " " + v);
            }
            return "STATUS " + MailboxNames.toWire(f.name(), utf8) + " (" + String.join(" ", out) + ")";
    }

    private void quota(String tag, String name, Args a) {
        requireState(State.AUTHENTICATED, State.SELECTED);
        a.sp();
        String arg = a.astring();
        a.end();
        if (name.equals("GETQUOTA") && !arg.isEmpty()) {
            throw new MailboxException("NONEXISTENT", "Quota root doesn't exist.");
        }
        async(tag, name, services.mailboxes().usage(account), (Usage u) -> {
            if (name.equals("GETQUOTAROOT")) {
                untagged("QUOTAROOT " + MailboxNames.toWire(MailboxNames.fromWire(arg, settings.delimiter(), utf8), utf8)
                        + " \"\"");
            }
            long limit = quotaLimit();
            untagged("QUOTA \"\" (" + (limit > 0 ? "STORAGE " + (u.bytes() + 1023) / 1024 + " " + limit / 1024 : "")
                    + ")");
            finish(tag, "OK " + (name.equals("GETQUOTA") ? "Getquota" : "Getquotaroot") + " completed.", true);
        });
    }

    private long quotaLimit() {
        return services.directory().view().effectiveQuota(account, settings.defaultQuota());
    }

    private CompletionStage<Void> checkQuota(long adding) {
        if (!settings.quotasEnabled()) {
            return CompletableFuture.completedFuture(null);
        }
        long limit = quotaLimit();
        if (limit <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        return services.mailboxes().usage(account).thenAccept(u -> {
            if (u.bytes() + adding > limit) {
                throw new MailboxException("OVERQUOTA", "Quota exceeded (mailbox for user is full)");
            }
        });
    }

    // ---------------------------------------------------------------- APPEND

    private record AppendItem(Set<String> flags, Instant date, Literal literal) {
    }

    private void append(String tag, Args a, List<BlobWriter> writers) {
        requireState(State.AUTHENTICATED, State.SELECTED);
        a.sp();
        String mbox = mailbox(a);
        List<AppendItem> items = new ArrayList<>();
        while (a.tryChar(' ')) {
            Set<String> flags = Set.of();
            Instant date = Instant.now();
            if (a.peek() == '(') {
                flags = new HashSet<>(a.flagList(false));
                a.sp();
            }
            if (a.peek() == '"') {
                String d = a.quoted();
                try {
                    date = ZonedDateTime.parse(d, APPEND_DATE).toInstant();
                } catch (DateTimeParseException e) {
                    throw new ImapParseException("invalid date-time " + d);
                }
                a.sp();
            }
            Literal lit;
            if (a.peek() == 'U' || a.peek() == 'u') {
                // RFC 6855 §4: append-data =/ "UTF8" SP "(" literal8 ")", a message with UTF-8 headers.
                String ext = a.atom();
                if (!ext.equalsIgnoreCase("UTF8")) {
                    throw new ImapParseException("unknown APPEND data item " + ext);
                }
                if (!utf8) {
                    throw new ImapParseException("APPEND UTF8 needs ENABLE UTF8=ACCEPT first");
                }
                a.sp();
                a.expect('(');
                lit = a.literal();
                a.expect(')');
            } else {
                lit = a.literal();
            }
            if (lit.blob() == null) {
                throw new ImapParseException("expected a message literal");
            }
            items.add(new AppendItem(flags, date, lit));
        }
        a.end();
        if (items.isEmpty()) {
            throw new ImapParseException("missing message literal");
        }
        long total = items.stream().mapToLong(i -> i.literal().size()).sum();
        CompletionStage<List<AppendResult>> done = checkQuota(total).thenCompose(v -> appendAll(items, mbox));
        // MULTIAPPEND (RFC 3502) is all or nothing: the mailbox appends every message in one journal write.
        async(tag, "APPEND", done.whenComplete((r, err) -> {
            if (err != null) {
                for (AppendItem i : items) {
                    i.literal().blob().thenAccept(ref -> {
                        try {
                            services.blobs().delete(ref);
                        } catch (IOException e) {
                            LOG.debug("could not delete blob of failed APPEND: {}", e.toString());
                        }
                    });
                }
            }
        }), results -> {
            long validity = results.get(0).uidValidity();
            List<Long> uids = results.stream().map(AppendResult::uid).toList();
            // Into the selected mailbox: EXISTS precedes the tagged OK, so the client can FETCH it next.
            boolean intoSelected = selected != null && selected.name.equals(mbox);
            finish(tag, "OK [APPENDUID " + validity + " " + SequenceSet.format(uids) + "] Append completed.", true,
                    intoSelected);
        });
    }

    private CompletionStage<List<AppendResult>> appendAll(List<AppendItem> items, String mbox) {
        if (items.size() == 1) {
            AppendItem i = items.get(0);
            return i.literal().blob()
                    .thenCompose(ref -> services.mailboxes().append(account, mbox, ref, i.date(), i.flags()))
                    .thenApply(List::of);
        }
        CompletableFuture<?>[] blobs = items.stream().map(i -> i.literal().blob().toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(blobs).thenCompose(v -> {
            List<AppendRequest> requests = new ArrayList<>();
            for (int k = 0; k < items.size(); k++) {
                AppendItem i = items.get(k);
                requests.add(new AppendRequest((BlobRef) blobs[k].join(), i.date(), i.flags()));
            }
            return services.mailboxes().appendAll(account, mbox, requests);
        });
    }

    // ---------------------------------------------------------------- selected state

    private List<Integer> resolve(String setText, boolean uid) {
        if (setText.equals("$")) {
            List<Integer> out = new ArrayList<>();
            for (long u : savedUids) {
                int i = selected.indexOf(u);
                if (i >= 0) {
                    out.add(i);
                }
            }
            return out;
        }
        SequenceSet set;
        try {
            set = SequenceSet.parse(setText);
        } catch (IllegalArgumentException e) {
            throw new ImapParseException(e.getMessage());
        }
        SelectedFolder s = selected;
        List<Integer> out = new ArrayList<>();
        if (uid) {
            long max = s.maxUid();
            for (int i = 0; i < s.count(); i++) {
                if (set.contains(s.messages.get(i).uid(), max)) {
                    out.add(i);
                }
            }
            return out;
        }
        if (!set.allAtMost(s.count())) {
            throw new ImapParseException("Invalid messageset (message sequence number out of range)");
        }
        for (int i = 0; i < s.count(); i++) {
            if (set.contains(i + 1, s.count())) {
                out.add(i);
            }
        }
        return out;
    }

    private void fetch(String tag, Args a, boolean uid) {
        requireState(State.SELECTED);
        a.sp();
        String set = a.atom("*");
        a.sp();
        List<FetchItem> items = FetchItem.expand(FetchItem.parseList(a));
        long changedSince = -1;
        boolean vanished = false;
        if (a.tryChar(' ')) {
            a.expect('(');
            while (true) {
                String mod = a.atom().toUpperCase(Locale.ROOT);
                if (mod.equals("CHANGEDSINCE")) {
                    a.sp();
                    changedSince = a.number();
                } else if (mod.equals("VANISHED")) {
                    vanished = true;
                } else {
                    throw new ImapParseException("unknown FETCH modifier " + mod);
                }
                if (a.tryChar(')')) {
                    break;
                }
                a.sp();
            }
            if (vanished && (!uid || !qresync || changedSince < 0)) {
                throw new ImapParseException("VANISHED needs UID FETCH, CHANGEDSINCE and ENABLE QRESYNC (RFC 7162)");
            }
        }
        a.end();
        if (changedSince >= 0 || items.stream().anyMatch(i -> i.name().equals("MODSEQ"))) {
            enableCondstore();
        }
        List<Integer> indexes = resolve(set, uid);
        SelectedFolder s = selected;
        if (vanished) {
            long since = changedSince;
            async(tag, "FETCH", services.mailboxes().expungedSince(account, s.name, changedSince), gone -> {
                List<Long> reported = selected == s ? filterUids(gone, set.equals("$") ? null : set) : List.of();
                if (!reported.isEmpty()) {
                    untagged("VANISHED (EARLIER) " + SequenceSet.format(reported));
                }
                fetchResolved(tag, uid, items, since, indexes, s);
            });
            return;
        }
        fetchResolved(tag, uid, items, changedSince, indexes, s);
    }

    private void fetchResolved(String tag, boolean uid, List<FetchItem> items, long changedSince,
                               List<Integer> indexes, SelectedFolder s) {
        if (selected != s) {
            finish(tag, "NO Mailbox was closed.", uid);
            return;
        }
        boolean wantModseq = condstore && (changedSince >= 0 || items.stream().anyMatch(i -> i.name().equals("MODSEQ")));
        List<FetchItem> all = new ArrayList<>(items);
        if (uid && all.stream().noneMatch(i -> i.name().equals("UID"))) {
            all.add(0, FetchItem.simple("UID"));
        }
        if (wantModseq && all.stream().noneMatch(i -> i.name().equals("MODSEQ"))) {
            all.add(FetchItem.simple("MODSEQ"));
        }
        long since = changedSince;
        List<Integer> targets = indexes.stream().filter(i -> since < 0 || s.messages.get(i).modseq() > since).toList();
        boolean setsSeen = !s.readOnly && all.stream().anyMatch(i -> i.isBody() && !i.peek()
                || i.name().equals("RFC822") || i.name().equals("RFC822.TEXT"));
        if (setsSeen) {
            List<Long> unseen = new ArrayList<>();
            for (int i : targets) {
                if (!s.messages.get(i).flags().contains("\\Seen")) {
                    unseen.add(s.messages.get(i).uid());
                }
            }
            if (!unseen.isEmpty()) {
                List<FetchItem> withFlags = new ArrayList<>(all);
                if (withFlags.stream().noneMatch(i -> i.name().equals("FLAGS"))) {
                    withFlags.add(FetchItem.simple("FLAGS"));
                }
                async(tag, "FETCH", services.mailboxes().store(account, s.name, unseen, FlagOperation.ADD,
                        Set.of("\\Seen"), -1), (StoreResult r) -> {
                    applyOwnUpdates(r.updated());
                    writeFetch(tag, uid, targets, withFlags);
                });
                return;
            }
        }
        writeFetch(tag, uid, targets, all);
    }

    private void writeFetch(String tag, boolean uid, List<Integer> targets, List<FetchItem> items) {
        SelectedFolder s = selected;
        if (s != null && items.stream().anyMatch(i -> i.name().equals("FLAGS"))) {
            Set<String> shown = new HashSet<>();
            for (int i : targets) {
                if (i < s.count()) {
                    shown.addAll(s.messages.get(i).flags());
                }
            }
            announceKeywords(shown);
        }
        // Blob reads run off the event loop; the session stays busy until the tagged reply.
        busy = true;
        new FetchRun(fetch, ctx, s, targets, items, () -> selected == s && !byeSent, err -> {
            if (byeSent) {
                return; // nothing follows BYE
            } else if (err == null) {
                finish(tag, "OK Fetch completed.", uid);
            } else if (err instanceof MailboxException e) {
                finish(tag, "NO [" + e.code() + "] " + e.getMessage(), uid);
            } else {
                LOG.warn("FETCH failed for {}: {}", account, err.toString());
                finish(tag, "NO [SERVERBUG] Internal error occurred reading messages.", uid);
            }
        }).start();
    }

    private void applyOwnUpdates(List<FlagUpdate> updates) {
        SelectedFolder s = selected;
        for (FlagUpdate u : updates) {
            int i = s.indexOf(u.uid());
            if (i >= 0 && u.modseq() > s.messages.get(i).modseq()) {
                s.messages.set(i, s.messages.get(i).withFlags(u.flags(), u.modseq()));
            }
            s.highestModseq = Math.max(s.highestModseq, u.modseq());
        }
    }

    private void store(String tag, Args a, boolean uid) {
        requireState(State.SELECTED);
        a.sp();
        String set = a.atom("*");
        a.sp();
        long unchangedSince = -1;
        if (a.tryChar('(')) {
            String mod = a.atom().toUpperCase(Locale.ROOT);
            if (!mod.equals("UNCHANGEDSINCE")) {
                throw new ImapParseException("unknown STORE modifier " + mod);
            }
            a.sp();
            unchangedSince = a.number();
            a.expect(')');
            a.sp();
            condstore = true;
        }
        String item = a.atom().toUpperCase(Locale.ROOT);
        FlagOperation op;
        String base = item.endsWith(".SILENT") ? item.substring(0, item.length() - 7) : item;
        boolean silent = item.endsWith(".SILENT");
        switch (base) {
            case "FLAGS" -> op = FlagOperation.REPLACE;
            case "+FLAGS" -> op = FlagOperation.ADD;
            case "-FLAGS" -> op = FlagOperation.REMOVE;
            default -> throw new ImapParseException("invalid STORE item " + item);
        }
        a.sp();
        Set<String> flags = new HashSet<>(a.flagList(true));
        a.end();
        SelectedFolder s = selected;
        if (s.readOnly) {
            throw new MailboxException("READ-ONLY", "Mailbox is read-only.");
        }
        List<Integer> indexes = resolve(set, uid);
        List<Long> uids = indexes.stream().map(i -> s.messages.get(i).uid()).toList();
        long since = unchangedSince;
        async(tag, "STORE", services.mailboxes().store(account, s.name, uids, op, flags, unchangedSince),
                (StoreResult r) -> {
                    applyOwnUpdates(r.updated());
                    if (!silent) {
                        Set<String> shown = new HashSet<>();
                        r.updated().forEach(u -> shown.addAll(u.flags()));
                        for (long u : uids) {
                            int i = s.indexOf(u);
                            if (i >= 0) {
                                shown.addAll(s.messages.get(i).flags());
                            }
                        }
                        announceKeywords(shown);
                    }
                    Set<Long> modified = new HashSet<>(r.modified());
                    Set<Long> changed = new HashSet<>();
                    r.updated().forEach(u -> changed.add(u.uid()));
                    for (long u : uids) {
                        int i = s.indexOf(u);
                        if (i < 0 || modified.contains(u)) {
                            continue;
                        }
                        if (silent && !(since >= 0 && changed.contains(u))) {
                            continue;
                        }
                        MessageView m = s.messages.get(i);
                        StringBuilder sb = new StringBuilder();
                        sb.append(i + 1).append(" FETCH (");
                        if (uid) {
                            sb.append("UID ").append(m.uid()).append(' ');
                        }
                        if (!silent) {
                            sb.append("FLAGS (").append(String.join(" ", s.flagsOf(m))).append(")");
                        }
                        if (condstore) {
                            sb.append(silent ? "" : " ").append("MODSEQ (").append(m.modseq()).append(")");
                        }
                        untagged(sb.toString().trim() + ")");
                    }
                    String code = "";
                    if (!modified.isEmpty()) {
                        List<Long> ids = new ArrayList<>();
                        for (long u : new TreeSet<>(modified)) {
                            ids.add(uid ? u : (long) s.indexOf(u) + 1);
                        }
                        code = "[MODIFIED " + SequenceSet.format(ids) + "] ";
                    }
                    finish(tag, "OK " + code + (code.isEmpty() ? "Store completed." : "Conditional store failed."),
                            uid);
                });
    }

    private void search(String tag, Args a, boolean uid) {
        requireState(State.SELECTED);
        a.sp();
        SearchReturn ret = null;
        if (a.peekAtom().equalsIgnoreCase("RETURN")) {
            a.atom();
            a.sp();
            ret = SearchReturn.parse(a);
            a.sp();
        }
        SearchKey key;
        try {
            key = parseSearch(a);
        } catch (RuntimeException e) {
            if (ret != null && ret.save()) {
                savedUids = List.of();
            }
            throw e;
        }
        if (containsModseq(key)) {
            enableCondstore();
        }
        SelectedFolder s = selected;
        SearchReturn r = ret;
        heavy(tag, "SEARCH", uid, HeavyCommands.readsContent(key), snapshot -> matching(snapshot, key),
                matched -> searchResults(tag, uid, r, key, s, matched), () -> {
                    if (r != null && r.save()) {
                        savedUids = List.of();
                    }
                });
    }

    private void searchResults(String tag, boolean uid, SearchReturn ret, SearchKey key, SelectedFolder s,
                               List<Integer> matched) {
        List<Long> hits = new ArrayList<>();
        long maxModseq = 0;
        for (int i : matched) {
            MessageView m = s.messages.get(i);
            hits.add(uid ? m.uid() : i + 1);
            maxModseq = Math.max(maxModseq, m.modseq());
        }
        boolean modseq = containsModseq(key) && !hits.isEmpty();
        if (ret == null) {
            StringBuilder sb = new StringBuilder("SEARCH");
            hits.forEach(h -> sb.append(' ').append(h));
            if (modseq) {
                sb.append(" (MODSEQ ").append(maxModseq).append(')');
            }
            untagged(sb.toString());
            finish(tag, "OK Search completed.", uid);
            return;
        }
        if (ret.save()) {
            List<Integer> kept = ret.savedPositions(matched);
            List<Long> uids = new ArrayList<>();
            kept.forEach(i -> uids.add(s.messages.get(i).uid()));
            savedUids = List.copyOf(uids);
        }
        if (!ret.onlySave()) {
            if (modseq) {
                // RFC 4731 §3.2: the highest mod-sequence of the messages returned (only MIN/MAX when
                // those alone are asked for), which are the positions SAVE would keep
                maxModseq = 0;
                for (int i : ret.savedPositions(matched)) {
                    maxModseq = Math.max(maxModseq, s.messages.get(i).modseq());
                }
            }
            untagged(ret.esearch(tag, uid, hits, modseq ? maxModseq : -1));
        }
        finish(tag, "OK Search completed.", uid);
    }

    /**
     * Runs {@code work} over the selected folder: inline when it is cheap, else on the heavy-command
     * gate (bounded per user and per node) over a snapshot of the folder, the session staying busy
     * meanwhile; {@code onFailure} runs before the failure reply.
     */
    private <T> void heavy(String tag, String name, boolean uid, boolean expensive, HeavyCommands.Work<T> work,
                           Consumer<T> onOk, Runnable onFailure) {
        HeavyCommands.run(ctx, services.heavyWork(), account, selected, expensive, work, result -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            if (result.failure() != null) {
                onFailure.run();
                if (!(result.failure() instanceof IOException)) {
                    LOG.warn("IMAP {} failed for {}: {}", name, account, result.failure().toString());
                }
                finish(tag, "NO [SERVERBUG] Internal error occurred reading messages.", uid);
                return;
            }
            try {
                onOk.accept(result.value());
            } catch (RuntimeException e) {
                fail(tag, name, e);
            }
        }, () -> {
            busy = true;
            ctx.channel().config().setAutoRead(false);
        });
    }

    /** Zero-based indexes of the messages of {@code s} matching {@code key}. */
    private List<Integer> matching(SelectedFolder s, SearchKey key) throws IOException {
        SearchEvaluator eval = new SearchEvaluator(services.blobs(), s.recent, s.maxUid(), s.count());
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < s.count(); i++) {
            if (eval.matches(key, s.messages.get(i), i + 1)) {
                out.add(i);
            }
        }
        return out;
    }

    private void sort(String tag, Args a, boolean uid) {
        requireState(State.SELECTED);
        a.sp();
        a.expect('(');
        List<SortCriterion> criteria = new ArrayList<>();
        boolean reverse = false;
        while (true) {
            String k = a.atom().toUpperCase(Locale.ROOT);
            if (k.equals("REVERSE")) {
                if (reverse) {
                    throw new ImapParseException("REVERSE twice");
                }
                reverse = true;
                a.sp();
                continue;
            }
            SortCriterion.Key key;
            try {
                key = SortCriterion.Key.valueOf(k);
            } catch (IllegalArgumentException e) {
                throw new ImapParseException("unknown sort key " + k);
            }
            criteria.add(new SortCriterion(key, reverse));
            reverse = false;
            if (a.tryChar(')')) {
                break;
            }
            a.sp();
        }
        if (reverse) {
            throw new ImapParseException("REVERSE must precede a sort key");
        }
        a.sp();
        SearchKey key = charsetAndCriteria(a);
        heavy(tag, "SORT", uid, true, snapshot -> MessageSorter.sort(sortData(snapshot, key, uid), criteria), sorted -> {
            StringBuilder sb = new StringBuilder("SORT");
            sorted.forEach(id -> sb.append(' ').append(id));
            untagged(sb.toString());
            finish(tag, "OK Sort completed.", uid);
        }, () -> { });
    }

    private void thread(String tag, Args a, boolean uid) {
        requireState(State.SELECTED);
        a.sp();
        String algorithm = a.atom().toUpperCase(Locale.ROOT);
        if (!algorithm.equals("ORDEREDSUBJECT") && !algorithm.equals("REFERENCES")) {
            throw new ImapParseException("unknown threading algorithm " + algorithm);
        }
        a.sp();
        SearchKey key = charsetAndCriteria(a);
        heavy(tag, "THREAD", uid, true, snapshot -> {
            List<SortData> data = sortData(snapshot, key, uid);
            if (algorithm.equals("ORDEREDSUBJECT")) {
                return Threader.orderedSubject(data);
            }
            Map<Long, List<String>> refs = new java.util.HashMap<>();
            for (SortData d : data) {
                refs.put(d.id(), references(snapshot.messages.get(d.seq() - 1)));
            }
            return Threader.references(data, d -> refs.get(d.id()));
        }, threads -> {
            untagged("THREAD " + ThreadNode.format(threads));
            finish(tag, "OK Thread completed.", uid);
        }, () -> { });
    }

    /** The message ids of the References header of {@code m} (read from its stored header). */
    private List<String> references(MessageView m) throws IOException {
        // the References of a message stored before the header limits are read up to a bound
        try (java.io.InputStream in = io.mailfleet.core.mime.HeaderIndex.selection(
                services.blobs().openRange(m.blob(), 0, m.summary().headerEnd()), List.of("References"), false)) {
            byte[] raw = in.readNBytes(MAX_REFERENCES);
            String text = new String(raw, StandardCharsets.UTF_8).replaceAll("\\r?\\n[ \\t]", " ");
            return Threader.messageIds(text.length() > 11 ? text.substring(11) : "");
        }
    }

    /** SORT and THREAD: a mandatory charset, then search criteria. */
    private SearchKey charsetAndCriteria(Args a) {
        String cs = a.astring();
        if (utf8 && !cs.equalsIgnoreCase("UTF-8")) {
            // RFC 6855 erratum 4029: after ENABLE UTF8=ACCEPT the mandatory charset must be UTF-8.
            throw new ImapParseException("charset " + cs + " conflicts with ENABLE UTF8=ACCEPT: use UTF-8");
        }
        if (!cs.equalsIgnoreCase("UTF-8") && !cs.equalsIgnoreCase("US-ASCII")) {
            throw new MailboxException("BADCHARSET (UTF-8 US-ASCII)", "Unsupported charset " + cs);
        }
        a.sp();
        return SearchParser.parse(a, savedUids);
    }

    private List<SortData> sortData(SelectedFolder s, SearchKey key, boolean uid) throws IOException {
        List<SortData> data = new ArrayList<>();
        for (int i : matching(s, key)) {
            MessageView m = s.messages.get(i);
            data.add(SortData.of(uid ? m.uid() : i + 1, i + 1, m));
        }
        return data;
    }

    private SearchKey parseSearch(Args a) {
        // CHARSET must come first when present; only UTF-8 and US-ASCII are supported.
        int c = a.peek();
        if (c == 'C' || c == 'c') {
            if (a.peekAtom().equalsIgnoreCase("CHARSET")) {
                if (utf8) {
                    // RFC 6855 §3: the client must not label the charset once UTF-8 is enabled.
                    throw new ImapParseException("SEARCH CHARSET is not allowed after ENABLE UTF8=ACCEPT");
                }
                a.atom();
                a.sp();
                String cs = a.astring();
                if (!cs.equalsIgnoreCase("UTF-8") && !cs.equalsIgnoreCase("US-ASCII")) {
                    throw new MailboxException("BADCHARSET (UTF-8 US-ASCII)", "Unsupported charset " + cs);
                }
                a.sp();
            }
        }
        return SearchParser.parse(a, savedUids);
    }

    private static boolean containsModseq(SearchKey k) {
        if (k instanceof SearchKey.ModSeq) {
            return true;
        } else if (k instanceof SearchKey.And and) {
            return and.keys().stream().anyMatch(ImapSession::containsModseq);
        } else if (k instanceof SearchKey.Or or) {
            return containsModseq(or.a()) || containsModseq(or.b());
        } else if (k instanceof SearchKey.Not not) {
            return containsModseq(not.key());
        }
        return false;
    }

    private void expunge(String tag, Args a, boolean uid) {
        requireState(State.SELECTED);
        Collection<Long> uids = null;
        if (uid) {
            a.sp();
            String set = a.atom("*");
            uids = resolve(set, true).stream().map(i -> selected.messages.get(i).uid()).toList();
        }
        a.end();
        SelectedFolder s = selected;
        if (s.readOnly) {
            throw new MailboxException("READ-ONLY", "Mailbox is read-only.");
        }
        async(tag, "EXPUNGE", services.mailboxes().expunge(account, s.name, uids), (ExpungeResult r) -> {
            removeExpunged(r.uids());
            s.highestModseq = Math.max(s.highestModseq, r.modseq());
            finish(tag, "OK " + (condstore ? "[HIGHESTMODSEQ " + Math.max(1, s.highestModseq) + "] " : "")
                    + "Expunge completed.", true);
        });
    }

    /** Drops expunged messages from the view and tells the client: EXPUNGE, or VANISHED after ENABLE QRESYNC. */
    private void removeExpunged(Collection<Long> uids) {
        SelectedFolder s = selected;
        List<Long> gone = new ArrayList<>();
        for (long u : new TreeSet<>(uids).descendingSet()) {
            int i = s.indexOf(u);
            if (i >= 0) {
                s.messages.remove(i);
                s.recent.remove(u);
                gone.add(0, u);
                if (!qresync) {
                    untagged((i + 1) + " EXPUNGE");
                }
            }
        }
        if (qresync && !gone.isEmpty()) {
            untagged("VANISHED " + SequenceSet.format(gone));
        }
    }

    // ---------------------------------------------------------------- COMPRESS

    private void compress(String tag, Args a) {
        requireState(State.AUTHENTICATED, State.SELECTED);
        a.sp();
        String mech = a.atom().toUpperCase(Locale.ROOT);
        a.end();
        if (compressed) {
            finish(tag, "NO [COMPRESSIONACTIVE] DEFLATE active via COMPRESS.", true);
            return;
        }
        if (!mech.equals("DEFLATE")) {
            finish(tag, "BAD Unsupported compression mechanism " + mech + ".", true);
            return;
        }
        // The tagged OK goes out uncompressed; everything after it, both ways, is raw DEFLATE (RFC 4978).
        ctx.writeAndFlush(text(tag + " OK DEFLATE active.\r\n"));
        compressed = true;
        ChannelPipeline p = ctx.pipeline();
        String anchor = p.get("chunked") != null ? "chunked" : ctx.name();
        p.addBefore(anchor, "deflate", new JdkZlibEncoder(ZlibWrapper.NONE, 6));
        // Bounded output per network read: a small deflate bomb cannot expand into unbounded heap
        // (the decoder fails the channel instead).
        p.addBefore(anchor, "inflate", new JdkZlibDecoder(ZlibWrapper.NONE, MAX_INFLATE_PER_READ));
        if (buf.isReadable()) {
            // Compressed bytes the client pipelined after the command: inflate them first.
            ByteBuf pending = buf.readRetainedSlice(buf.readableBytes());
            buf.clear();
            ChannelHandlerContext inflate = p.context("inflate");
            try {
                ((JdkZlibDecoder) inflate.handler()).channelRead(inflate, pending);
            } catch (Exception e) {
                LOG.debug("inflating pipelined input failed: {}", e.toString());
                ctx.close();
            }
        }
    }

    private void copy(String tag, Args a, boolean uid, boolean move) {
        requireState(State.SELECTED);
        a.sp();
        String set = a.atom("*");
        a.sp();
        String target = mailbox(a);
        a.end();
        SelectedFolder s = selected;
        if (move && s.readOnly) {
            throw new MailboxException("READ-ONLY", "Mailbox is read-only.");
        }
        List<Long> uids = resolve(set, uid).stream().map(i -> s.messages.get(i).uid()).toList();
        if (uids.isEmpty()) {
            finish(tag, "OK No messages found.", uid);
            return;
        }
        long bytes = 0;
        for (long u : uids) {
            bytes += s.messages.get(s.indexOf(u)).size();
        }
        String name = move ? "MOVE" : "COPY";
        CompletionStage<CopyResult> stage = (move ? CompletableFuture.<Void>completedFuture(null) : checkQuota(bytes))
                .thenCompose(v -> services.mailboxes().copy(account, s.name, uids, target, move));
        async(tag, name, stage, (CopyResult r) -> {
            String code = r.sourceUids().isEmpty() ? "" : "[COPYUID " + r.uidValidity() + " "
                    + SequenceSet.format(r.sourceUids()) + " " + SequenceSet.format(r.destinationUids()) + "] ";
            if (move) {
                if (!code.isEmpty()) {
                    untagged("OK " + code + "Moved UIDs.");
                }
                removeExpunged(r.sourceUids());
                // RFC 6851 §3.3: a MOVE into the selected mailbox shows the new messages like an arrival
                finish(tag, "OK Move completed.", true, selected == s && s.name.equals(target));
            } else {
                finish(tag, "OK " + code + "Copy completed.", uid, selected == s && s.name.equals(target));
            }
        });
    }

    // ---------------------------------------------------------------- notifications

    /**
     * A change notification (on this channel's event loop). It only marks the folder dirty: the exact
     * changes come from {@code changesSince}, so a lost, duplicated or reordered notification never
     * leaves the session wrong. In IDLE the session reconciles at once; otherwise at the end of the
     * next command (RFC 3501 §5.2, §7.4.1).
     */
    private void onEvent(MailboxEvent e) {
        SelectedFolder s = selected;
        if (s == null || !ctx.channel().isActive()) {
            return;
        }
        if (e instanceof MailboxEvent.FolderRemoved && e.folder().equals(s.name)) {
            byeAndClose("Selected mailbox was deleted, have to disconnect.");
            return;
        }
        if (e.folder() == null || e.folder().equals(s.name)) {
            dirty = true;
            if (idleTag != null) {
                sync(ctx::flush);
            }
        }
    }

    /** Reconciles the selected folder with the mailbox, one request at a time, then runs {@code then}. */
    private void sync(Runnable then) {
        if (then != null) {
            afterSync.add(then);
        }
        if (syncing) {
            return;
        }
        SelectedFolder s = selected;
        if (s == null) {
            runAfterSync();
            return;
        }
        syncing = true;
        dirty = false;
        services.mailboxes().changesSince(account, s.name, s.syncedModseq, !s.readOnly)
                .whenCompleteAsync((changes, err) -> {
                    syncing = false;
                    if (!ctx.channel().isActive()) {
                        return;
                    }
                    if (err != null) {
                        LOG.debug("IMAP reconciliation of {} failed: {}", account, err.toString());
                    } else if (selected == s) {
                        apply(s, changes);
                    }
                    // A change told while this request was out is not in its answer: in IDLE, ask again
                    // before running what waits (the flush), or the client would not hear of it until
                    // the next change came (an event during a sync only queues the flush).
                    if (dirty && selected != null && idleTag != null) {
                        sync(null);
                        return;
                    }
                    runAfterSync();
                }, ctx.executor());
    }

    private void runAfterSync() {
        List<Runnable> run = new ArrayList<>(afterSync);
        afterSync.clear();
        run.forEach(Runnable::run);
    }

    /** Writes what changed: FETCH for new flags, EXISTS and RECENT for new messages; expunges wait. */
    private void apply(SelectedFolder s, FolderChanges c) {
        if (c.uidValidity() != s.uidValidity) {
            byeAndClose("Selected mailbox was recreated, have to disconnect.");
            return;
        }
        boolean added = false;
        int recent = 0;
        List<String> fetches = new ArrayList<>();
        Set<String> shown = new HashSet<>();
        for (MessageView m : c.changed()) {
            if (m.uid() >= s.uidNext) {
                s.messages.add(m);
                s.uidNext = m.uid() + 1;
                added = true;
                if (c.recent().contains(m.uid())) {
                    s.recent.add(m.uid());
                    recent++;
                }
                continue;
            }
            int i = s.indexOf(m.uid());
            if (i >= 0 && m.modseq() > s.messages.get(i).modseq()) {
                boolean flagsChanged = !m.flags().equals(s.messages.get(i).flags());
                s.messages.set(i, s.messages.get(i).withFlags(m.flags(), m.modseq()));
                if (flagsChanged || condstore) {
                    MessageView v = s.messages.get(i);
                    shown.addAll(v.flags());
                    fetches.add((i + 1) + " FETCH (UID " + v.uid() + " FLAGS (" + String.join(" ", s.flagsOf(v))
                            + ")" + (condstore ? " MODSEQ (" + v.modseq() + ")" : "") + ")");
                }
            }
        }
        announceKeywords(shown);
        fetches.forEach(this::untagged);
        for (long uid : c.expunged()) {
            if (s.indexOf(uid) >= 0 && !deferredExpunges.contains(uid)) {
                deferredExpunges.add(uid);
            }
        }
        s.uidNext = Math.max(s.uidNext, c.uidNext());
        s.syncedModseq = Math.max(s.syncedModseq, c.highestModseq());
        s.highestModseq = Math.max(s.highestModseq, c.highestModseq());
        if (idleTag != null) {
            flushDeferredExpunges();
        }
        if (added) {
            untagged(s.count() + " EXISTS");
            if (recent > 0) {
                untagged(s.recent.size() + " RECENT");
            }
        }
    }

    private void flushDeferredExpunges() {
        if (selected != null && !deferredExpunges.isEmpty()) {
            List<Long> gone = new ArrayList<>(deferredExpunges);
            deferredExpunges.clear();
            removeExpunged(gone);
        }
    }
}
