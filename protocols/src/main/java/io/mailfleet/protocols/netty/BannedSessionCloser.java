package io.mailfleet.protocols.netty;

import io.mailfleet.core.ban.BanService;
import io.mailfleet.core.ban.BlockType;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Closes the open connections of an address once it is banned (on this node or any other), on every
 * listener of this node, unless the client has logged in on them: the ban filter only judges new
 * connections, and an open one would otherwise go on guessing. Runs whenever this node's copy of the
 * ban list changes; closing never blocks the caller.
 */
public final class BannedSessionCloser implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.fail2ban");

    private final BanService bans;
    private final List<ChannelGroup> listeners;
    private final AutoCloseable subscription;

    private BannedSessionCloser(BanService bans, List<ChannelGroup> listeners) {
        this.bans = bans;
        this.listeners = List.copyOf(listeners);
        this.subscription = bans.onChange(this::sweep);
    }

    /** Watches {@code bans} and closes the banned clients' connections in {@code listeners} (their open connections). */
    public static BannedSessionCloser watch(BanService bans, List<ChannelGroup> listeners) {
        return new BannedSessionCloser(bans, listeners);
    }

    /** Closes every open, not logged-in connection of a banned address; returns how many. */
    public int sweep() {
        Map<String, Integer> closed = new TreeMap<>();
        for (ChannelGroup group : listeners) {
            for (Channel ch : group) {
                if (ChannelLogin.isAuthenticated(ch)) {
                    continue;
                }
                InetSocketAddress client = RemoteAddress.of(ch);
                InetAddress a = client == null ? null : client.getAddress();
                if (a != null && ch.isActive() && bans.isBanned(a)) {
                    ch.config().setAutoRead(false);
                    if (bans.blockType() == BlockType.REJECT) {
                        ch.config().setOption(ChannelOption.SO_LINGER, 0);
                    }
                    ch.close();
                    closed.merge(a.getHostAddress(), 1, Integer::sum);
                }
            }
        }
        closed.forEach((ip, n) -> LOG.warn("closed {} open connection(s) of banned client {} that had not logged in", n, ip));
        return closed.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public void close() throws Exception {
        subscription.close();
    }
}
