package io.mailfleet.server.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The address each group of listeners binds: SMTP ({@code POSTFIX_INET_PROTOCOLS}) and IMAP, POP3 and
 * ManageSieve ({@code DOVECOT_INET_PROTOCOLS}). With the wildcard bind address, {@code all} listens on
 * IPv4 and IPv6 ({@code ::}, dual stack) when the host has IPv6 at all, {@code ipv4} on IPv4 only
 * ({@code 0.0.0.0}); a specific bind address is kept, and must belong to the family chosen.
 */
public record ListenAddresses(String smtp, String mailbox) {

    private enum Family { ALL, IPV4, IPV6 }

    static ListenAddresses read(ValueReader r, String bindAddress) {
        return new ListenAddresses(address(r, "mailfleet.smtp.inet-protocols", bindAddress),
                address(r, "mailfleet.inet-protocols", bindAddress));
    }

    private static String address(ValueReader r, String key, String bind) {
        Map<String, Family> families = new LinkedHashMap<>();
        families.put("all", Family.ALL);
        families.put("ipv4", Family.IPV4);
        families.put("ipv6", Family.IPV6);
        Family f = r.choice(key, families);
        boolean wildcard = bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("0:0:0:0:0:0:0:0");
        boolean v6 = bind.contains(":");
        if (f == Family.IPV6) {
            // binding :: alone would still accept IPv4 clients (dual stack); a v6-only socket is not wired yet
            throw r.invalid(key, "ipv6", "all or ipv4 (IPv6-only listening is not supported yet)");
        }
        if (!wildcard) {
            if (f == Family.IPV4 && v6) {
                throw r.invalid(key, "ipv4", "all, since mailfleet.bind-address " + bind + " is an IPv6 address");
            }
            return bind;
        }
        return f == Family.ALL && hostHasIpv6() ? "::" : "0.0.0.0";
    }

    /** False in a container with IPv6 disabled, where binding {@code ::} would fail. */
    private static boolean hostHasIpv6() {
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet6Address) {
                        return true;
                    }
                }
            }
        } catch (SocketException e) {
            return false;
        }
        return false;
    }
}
