package io.mailfleet.protocols.outbound;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** One host to try, with its addresses in order and the port. */
public record TargetHost(String host, List<InetAddress> addresses, int port) {
    public TargetHost {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("target host " + host + " has no address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("target port " + port + " is not between 1 and 65535");
        }
    }

    /** The exchangers of a resolved nexthop, in order, on the nexthop's port. */
    public static List<TargetHost> of(MxResult.Resolved resolved, int port) {
        List<TargetHost> out = new ArrayList<>();
        for (MxHost h : resolved.hosts()) {
            out.add(new TargetHost(h.host(), h.addresses(), port));
        }
        return out;
    }
}
