package io.mailfleet.protocols.tls;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.channel.Channel;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The STARTTLS/STLS upgrade as IMAP, POP3 and ManageSieve do it: when it is refused (each protocol wraps
 * the text in its own reply), and the switch itself: the go-ahead written in clear text, then the
 * server-side handshake.
 */
public final class StartTls {

    private StartTls() {
    }

    /** Why STARTTLS cannot start now, as the text of the protocol's refusal; empty when it can. */
    public static Optional<String> refusal(boolean tlsActive, TlsContextProvider tls) {
        if (tlsActive) {
            return Optional.of("TLS is already active.");
        }
        if (!tls.enabled()) {
            // which of the two matters to the user: this one means the server has no certificate
            return Optional.of("TLS is not available: the server has no certificate (SSL_TYPE is not set).");
        }
        return Optional.empty();
    }

    /**
     * Puts TLS in front of the channel and writes {@code goAhead} (CRLF-terminated), which the handler
     * passes in clear text (startTls mode) before it negotiates; a failed handshake closes the channel.
     * The caller has already dropped input pipelined in clear text (CVE-2011-0411 class).
     *
     * @return the handshake, for what must wait until TLS is up
     */
    public static Future<Channel> begin(ChannelHandlerContext ctx, TlsContextProvider tls, String goAhead) {
        SslHandler ssl = tls.newHandler(ctx.alloc(), true);
        ctx.pipeline().addFirst("tls", ssl);
        ctx.writeAndFlush(Unpooled.copiedBuffer(goAhead, StandardCharsets.UTF_8));
        Future<Channel> handshake = ssl.handshakeFuture();
        handshake.addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
            }
        });
        return handshake;
    }
}
