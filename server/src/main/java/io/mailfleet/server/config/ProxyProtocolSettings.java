package io.mailfleet.server.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code mailfleet.proxy-protocol}: the listeners that expect a PROXY protocol header (v1 or v2)
 * from a load balancer, the proxy networks trusted to send it, and how long to wait for it.
 *
 * @param listeners       enabled listeners among {@link #LISTENERS}
 * @param trustedNetworks canonical CIDRs of the proxies
 */
public record ProxyProtocolSettings(Set<String> listeners, List<String> trustedNetworks, Duration headerTimeout) {

    /** Listener names, as keys under {@code mailfleet.proxy-protocol}. */
    public static final List<String> LISTENERS = List.of("smtp", "submission", "submissions", "imap", "imaps",
            "pop3", "pop3s", "managesieve");

    public ProxyProtocolSettings {
        listeners = Set.copyOf(listeners);
        trustedNetworks = List.copyOf(trustedNetworks);
    }

    /** Whether {@code listener} (one of {@link #LISTENERS}) expects the PROXY header. */
    public boolean enabled(String listener) {
        return listeners.contains(listener);
    }

    static ProxyProtocolSettings read(ValueReader r) {
        Set<String> on = new LinkedHashSet<>();
        for (String l : LISTENERS) {
            if (r.bool("mailfleet.proxy-protocol." + l)) {
                on.add(l);
            }
        }
        List<String> trusted = new ArrayList<>();
        for (String n : r.stringList("mailfleet.proxy-protocol.trusted-networks")) {
            trusted.add(Networks.parseCidr(n).orElseThrow(() -> r.invalid("mailfleet.proxy-protocol.trusted-networks", n,
                    "IP networks in CIDR notation such as 10.0.0.0/8 or fd00::/8, or single IP addresses of the load balancers")));
        }
        if (!on.isEmpty() && trusted.isEmpty()) {
            throw r.invalid("mailfleet.proxy-protocol.trusted-networks", "[]",
                    "the networks of the load balancers (required because the PROXY protocol is enabled on "
                            + String.join(", ", on) + "; without them every connection would be refused)");
        }
        return new ProxyProtocolSettings(on, trusted, r.duration("mailfleet.proxy-protocol.header-timeout"));
    }
}
