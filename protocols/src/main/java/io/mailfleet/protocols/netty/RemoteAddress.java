package io.mailfleet.protocols.netty;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.net.InetSocketAddress;

/**
 * The client's address as protocol sessions must see it: the address from a PROXY protocol header
 * when the listener is behind a trusted proxy, else the socket's peer. Sessions read
 * {@link #of(Channel)} instead of {@code channel.remoteAddress()}.
 */
public final class RemoteAddress {

    /** Set by {@link ProxyProtocolHandler} once the PROXY header has been accepted. */
    public static final AttributeKey<InetSocketAddress> KEY = AttributeKey.valueOf("mailfleet.remoteAddress");

    private RemoteAddress() {
    }

    /** The real client address; null only for channels without an IP peer (embedded test channels). */
    public static InetSocketAddress of(Channel channel) {
        InetSocketAddress proxied = channel.attr(KEY).get();
        if (proxied != null) {
            return proxied;
        }
        return channel.remoteAddress() instanceof InetSocketAddress isa ? isa : null;
    }

    /** The real client's IP address as text, empty when the channel has none (embedded test channels). */
    public static String ip(Channel channel) {
        InetSocketAddress isa = of(channel);
        return isa != null && isa.getAddress() != null ? isa.getAddress().getHostAddress() : "";
    }
}
