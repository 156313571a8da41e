package io.mailfleet.core.spam.uribl;

import io.mailfleet.core.dnsbl.DnsblNames;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One thing a URL block list is asked about: a registrable domain ({@code evil.example.com}) or the
 * IPv4 address of an IP-literal link.
 *
 * @param name the domain (lower-case A-labels) or the dotted address
 * @param ip   true for an address, asked with its octets reversed
 */
public record LinkTarget(String name, boolean ip) {

    /** The question for {@code zone}: {@code domain.zone}, or {@code 4.3.2.1.zone} for 1.2.3.4. */
    public String query(String zone) {
        if (!ip) {
            return name + "." + zone;
        }
        try {
            return DnsblNames.query(InetAddress.getByName(name), zone);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not a literal address: " + name, e); // built only from four octets
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
