package io.mailfleet.server;

import io.mailfleet.core.ban.BanService;
import io.mailfleet.server.config.ConnectionLimitSettings;
import io.mailfleet.server.config.ProxyProtocolSettings;
import io.mailfleet.protocols.netty.AcceptGuard;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.netty.ConnectionAdmission;
import io.mailfleet.protocols.netty.ConnectionLimits;
import io.mailfleet.protocols.netty.ProxyProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accept-time guard (ban filter, PROXY protocol) of each named mail listener, with the node's
 * one {@link ConnectionAdmission} shared by all of them.
 */
final class AcceptGuards {

    private static final Logger LOG = LoggerFactory.getLogger(AcceptGuards.class);

    private final BanService bans;
    private final ProxyProtocolSettings proxy;
    private final ProxyProtocol protocol;
    private final ConnectionAdmission admission;

    /** {@code bans} is null when fail2ban is off. */
    AcceptGuards(BanService bans, ProxyProtocolSettings proxy, ConnectionLimitSettings limits) {
        this.bans = bans;
        this.proxy = proxy;
        this.protocol = new ProxyProtocol(proxy.trustedNetworks().stream().map(Cidr::parse).toList(),
                proxy.headerTimeout());
        this.admission = new ConnectionAdmission(limits.limits());
        ConnectionLimits l = limits.limits();
        LOG.info("connection limits: {} connections per node, {} without login and {} TLS handshakes per client"
                        + " address, login within {} s (0 = no limit)", l.maxConnections(), l.preLoginPerAddress(),
                l.handshakesPerAddress(), l.loginTimeout().toSeconds());
    }

    /** The guard of listener {@code name} (one of {@link ProxyProtocolSettings#LISTENERS}). */
    AcceptGuard forListener(String name) {
        return AcceptGuard.of(bans, proxy.enabled(name) ? protocol : null).withAdmission(admission);
    }

}
