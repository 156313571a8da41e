package io.mailfleet.ops.server;

import io.mailfleet.core.ban.BanService;
import io.mailfleet.ops.config.ProxyProtocolSettings;
import io.mailfleet.protocols.netty.AcceptGuard;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.netty.ProxyProtocol;

/** The accept-time guard (ban filter, PROXY protocol) of each named mail listener. */
final class AcceptGuards {

    private final BanService bans;
    private final ProxyProtocolSettings proxy;
    private final ProxyProtocol protocol;

    /** {@code bans} is null when fail2ban is off. */
    AcceptGuards(BanService bans, ProxyProtocolSettings proxy) {
        this.bans = bans;
        this.proxy = proxy;
        this.protocol = new ProxyProtocol(proxy.trustedNetworks().stream().map(Cidr::parse).toList(),
                proxy.headerTimeout());
    }

    /** The guard of listener {@code name} (one of {@link ProxyProtocolSettings#LISTENERS}). */
    AcceptGuard forListener(String name) {
        return AcceptGuard.of(bans, proxy.enabled(name) ? protocol : null);
    }

}
