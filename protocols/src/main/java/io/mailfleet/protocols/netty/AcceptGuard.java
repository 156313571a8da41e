package io.mailfleet.protocols.netty;

import io.mailfleet.core.ban.BanService;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;

import java.util.Optional;

/**
 * What every listener puts at the front of a new connection's pipeline: the PROXY protocol
 * decoder (when the listener is behind a load balancer) and then the {@link BanFilter}.
 * Call {@link #install} first thing in {@code initChannel}. It also carries the node's
 * {@link ConnectionAdmission}, which each listener installs right after with its own policy.
 */
public record AcceptGuard(Optional<BanService> bans, Optional<ProxyProtocol> proxy, ConnectionAdmission admission) {

    private static final AcceptGuard NONE = new AcceptGuard(Optional.empty(), Optional.empty(),
            ConnectionAdmission.unlimited());

    public AcceptGuard {
        bans = bans == null ? Optional.empty() : bans;
        proxy = proxy == null ? Optional.empty() : proxy;
        admission = admission == null ? ConnectionAdmission.unlimited() : admission;
    }

    public AcceptGuard(Optional<BanService> bans, Optional<ProxyProtocol> proxy) {
        this(bans, proxy, ConnectionAdmission.unlimited());
    }

    /** No ban check and no PROXY protocol. */
    public static AcceptGuard none() {
        return NONE;
    }

    public static AcceptGuard of(BanService bansOrNull, ProxyProtocol proxyOrNull) {
        return new AcceptGuard(Optional.ofNullable(bansOrNull), Optional.ofNullable(proxyOrNull));
    }

    /** This guard with the node's connection limits. */
    public AcceptGuard withAdmission(ConnectionAdmission nodeAdmission) {
        return new AcceptGuard(bans, proxy, nodeAdmission);
    }

    /** Adds the handlers at the head of {@code pipeline}: PROXY decoder and handler, then the ban filter. */
    public void install(ChannelPipeline pipeline) {
        if (bans.isPresent()) {
            pipeline.addFirst("ban", new BanFilter(bans.get()));
        }
        if (proxy.isPresent()) {
            ProxyProtocol p = proxy.get();
            pipeline.addFirst("proxy", new ProxyProtocolHandler(p.trustedProxies(), p.headerTimeout().toMillis()));
            pipeline.addFirst("proxy-decoder", new HAProxyMessageDecoder());
        }
    }
}
