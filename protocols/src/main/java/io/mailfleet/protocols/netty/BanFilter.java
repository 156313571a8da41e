package io.mailfleet.protocols.netty;

import io.mailfleet.core.ban.BanService;
import io.mailfleet.core.ban.BlockType;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/**
 * Drops a banned client at accept, before the protocol handler sends a single byte (docker-mailserver's
 * Fail2ban firewall rule). It sits first in the pipeline, or right after the PROXY protocol handler
 * so that it judges the real client address. The ban check reads this node's replicated copy and
 * never blocks. {@code drop} closes quietly (FIN); {@code reject} resets the connection (RST).
 * A client that is not banned passes and the filter leaves the pipeline.
 */
@ChannelHandler.Sharable
public final class BanFilter extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.fail2ban");

    private final BanService bans;

    public BanFilter(BanService bans) {
        this.bans = bans;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetSocketAddress client = RemoteAddress.of(ctx.channel());
        if (client != null && client.getAddress() != null && bans.isBanned(client.getAddress())) {
            LOG.info("dropped banned client {} at {} ({})", client.getAddress().getHostAddress(),
                    ctx.channel().localAddress(), bans.blockType().name().toLowerCase(java.util.Locale.ROOT));
            ctx.channel().config().setAutoRead(false);
            if (bans.blockType() == BlockType.REJECT) {
                ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
            }
            // Stay in the pipeline so nothing the client sent reaches a session that never started.
            ctx.close();
            return;
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Only reached for a banned client between the close request and the close itself.
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // A banned client's session never became active, so it is not told it ended either.
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
