package io.mailfleet.protocols.outbound;

import java.net.InetAddress;
import java.util.List;

/**
 * One mail exchanger of a destination with the addresses it resolved to (IPv4 first).
 *
 * @param host       the exchanger's name without the trailing dot
 * @param preference the MX preference; 0 for an implicit MX or a literal host
 * @param addresses  at least one address
 */
public record MxHost(String host, int preference, List<InetAddress> addresses) {
    public MxHost {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("MX host " + host + " has no address");
        }
    }
}
