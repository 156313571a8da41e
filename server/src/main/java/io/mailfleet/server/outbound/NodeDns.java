package io.mailfleet.server.outbound;

import io.mailfleet.core.dns.AsyncDnsResolver;
import io.mailfleet.protocols.outbound.DnsSettings;
import io.mailfleet.server.config.ConfigError;
import io.mailfleet.server.config.OutboundConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The node's one DNS resolver and cache, shared by MX look-ups and the inbound checks (SPF), from
 * {@code mailfleet.outbound.dns-server} ({@code MAILFLEET_DNS_SERVER}), else the system's resolver.
 */
public final class NodeDns {

    private static final Logger LOG = LoggerFactory.getLogger(NodeDns.class);

    private NodeDns() {
    }

    /** The resolver every DNS user of this node shares. */
    public static AsyncDnsResolver resolver(OutboundConfig c) {
        // The DNSSEC-validating mode (DANE look-ups) uses the configured trust anchors.
        return new AsyncDnsResolver(settings(c).resolverSettings(), c.dnssecAnchors());
    }

    static DnsSettings settings(OutboundConfig c) {
        String server = c.dnsServer();
        if (server.isEmpty()) {
            List<InetSocketAddress> servers = org.xbill.DNS.ResolverConfig.getCurrentConfig().servers();
            if (servers.isEmpty()) {
                // Local mail must keep working; outbound mail waits (DNS temporary failure) until a resolver answers.
                LOG.warn("the system has no DNS server configured; DNS look-ups go to 127.0.0.1:53 "
                        + "(set MAILFLEET_DNS_SERVER to a resolver such as 1.1.1.1)");
                return new DnsSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), 53), c.dnsTimeout());
            }
            return new DnsSettings(servers.get(0), c.dnsTimeout());
        }
        try {
            return DnsSettings.parse(server, c.dnsTimeout());
        } catch (IllegalArgumentException e) {
            throw new ConfigError("mailfleet.outbound.dns-server = '" + server + "': " + e.getMessage(), e);
        }
    }
}
