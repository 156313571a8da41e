package io.mailfleet.protocols.imap.handler;

import io.mailfleet.protocols.imap.ImapParseException;
import io.mailfleet.protocols.imap.command.StateCommands;
import io.mailfleet.protocols.tls.StartTls;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.compression.JdkZlibDecoder;
import io.netty.handler.codec.compression.JdkZlibEncoder;
import io.netty.handler.codec.compression.ZlibWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** CAPABILITY, NOOP, CHECK, LOGOUT, ID, STARTTLS, ENABLE and COMPRESS: the connection itself. */
final class ConnectionHandler {

    /** Largest inflated output of one compressed network read under COMPRESS=DEFLATE. */
    static final int MAX_INFLATE_PER_READ = 4 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);

    private final ImapContext ctx;
    private final SessionState session;

    ConnectionHandler(ImapContext ctx) {
        this.ctx = ctx;
        this.session = ctx.session();
    }

    void capability(String tag, StateCommands.Capability r) {
        ctx.untagged("CAPABILITY " + Capabilities.of(ctx));
        ctx.finish(tag, "OK Capability completed.", true);
    }

    void noop(String tag, StateCommands.Noop r) {
        ctx.finish(tag, "OK " + (r.check() ? "Check" : "NOOP") + " completed.", true, true);
    }

    void logout(String tag, StateCommands.Logout r) {
        ctx.logout(tag);
    }

    void id(String tag, StateCommands.Id r) {
        ctx.untagged("ID (\"name\" \"Mailfleet\" \"vendor\" \"Mailfleet\")");
        ctx.finish(tag, "OK ID completed.", true);
    }

    void startTls(String tag, StateCommands.StartTls r) {
        Optional<String> refused = StartTls.refusal(session.tlsActive, ctx.services().tls());
        if (refused.isPresent()) {
            ctx.finish(tag, "BAD " + refused.get(), true);
            return;
        }
        // Anything pipelined after STARTTLS was sent in clear text: discard it (CVE-2011-0411 class).
        ctx.discardPendingInput();
        StartTls.begin(ctx.netty(), ctx.services().tls(), tag + " OK Begin TLS negotiation now.\r\n");
        session.tlsActive = true;
    }

    void enable(String tag, StateCommands.Enable r) {
        List<String> enabled = new ArrayList<>();
        List<String> asked = r.capabilities();
        boolean utf8Offered = ctx.settings().utf8Accept();
        if (asked.contains("UTF8=ACCEPT") && utf8Offered && session.state == ImapState.SELECTED) {
            // Names already sent for the selected mailbox were modified UTF-7; RFC 5161 §3.1 allows
            // ENABLE only before a mailbox is selected.
            throw new ImapParseException("ENABLE UTF8=ACCEPT is only valid before a mailbox is selected");
        }
        for (String cap : asked) {
            if (cap.equals("UTF8=ACCEPT") && utf8Offered && !enabled.contains(cap)) {
                session.utf8 = true;
                enabled.add(cap);
            } else if (cap.equals("CONDSTORE") && !enabled.contains(cap)) {
                enableCondstore(ctx);
                enabled.add(cap);
            } else if (cap.equals("QRESYNC") && !enabled.contains(cap)) {
                // QRESYNC implies CONDSTORE (RFC 7162 §3.2.3).
                enableCondstore(ctx);
                session.qresync = true;
                enabled.add(cap);
            }
        }
        ctx.untagged("ENABLED" + (enabled.isEmpty() ? "" : " " + String.join(" ", enabled)));
        ctx.finish(tag, "OK Enabled.", true);
    }

    /**
     * Turns CONDSTORE on; when a mailbox is selected the client learns its HIGHESTMODSEQ now
     * (RFC 7162 §3.1: a CONDSTORE enabling command while selected).
     */
    static void enableCondstore(ImapContext ctx) {
        SessionState session = ctx.session();
        if (!session.condstore && session.selected != null) {
            ctx.untagged("OK [HIGHESTMODSEQ " + Math.max(1, session.selected.highestModseq) + "] Highest");
        }
        session.condstore = true;
    }

    void compress(String tag, StateCommands.Compress r) {
        if (session.compressed) {
            ctx.finish(tag, "NO [COMPRESSIONACTIVE] DEFLATE active via COMPRESS.", true);
            return;
        }
        if (!r.mechanism().equals("DEFLATE")) {
            ctx.finish(tag, "BAD Unsupported compression mechanism " + r.mechanism() + ".", true);
            return;
        }
        // The tagged OK goes out uncompressed; everything after it, both ways, is raw DEFLATE (RFC 4978).
        ctx.send(tag + " OK DEFLATE active.\r\n");
        session.compressed = true;
        ChannelHandlerContext netty = ctx.netty();
        ChannelPipeline p = netty.pipeline();
        String anchor = p.get("chunked") != null ? "chunked" : netty.name();
        p.addBefore(anchor, "deflate", new JdkZlibEncoder(ZlibWrapper.NONE, 6));
        // Bounded output per network read: a small deflate bomb cannot expand into unbounded heap
        // (the decoder fails the channel instead).
        p.addBefore(anchor, "inflate", new JdkZlibDecoder(ZlibWrapper.NONE, MAX_INFLATE_PER_READ));
        ByteBuf pending = ctx.takePendingInput();
        if (pending != null) {
            // Compressed bytes the client pipelined after the command: inflate them first.
            ChannelHandlerContext inflate = p.context("inflate");
            try {
                ((JdkZlibDecoder) inflate.handler()).channelRead(inflate, pending);
            } catch (Exception e) {
                LOG.debug("inflating pipelined input failed: {}", e.toString());
                netty.close();
            }
        }
    }
}
