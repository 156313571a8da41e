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
 * ({@code 0.0.0.0}), {@code ipv6} on IPv6 only ({@code [::]}: IPv4 clients are reset at accept); a specific
 * bind address is kept, and must belong to the family chosen.
 */
public record ListenAddresses(String smtp, String mailbox) {

    /** The values of the two keys. */
    enum Family { ALL, IPV4, IPV6 }

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
        return choose(f, bind, wildcard, v6, hostHasIpv6(), allowed -> r.invalid(key, f.name().toLowerCase(
                java.util.Locale.ROOT), allowed));
    }

    /**
     * The address to bind for family {@code f}: with the wildcard, {@code ::} (both families) for
     * {@code all} on a host with IPv6, {@code 0.0.0.0} for {@code ipv4} (or {@code all} without IPv6),
     * {@code [::]} (the listener's IPv6-only form) for {@code ipv6}; a specific address is kept when it is of
     * the family asked for. {@code invalid} makes the start-up error from what would be allowed.
     */
    static String choose(Family f, String bind, boolean wildcard, boolean v6, boolean hostHasIpv6,
                         java.util.function.Function<String, RuntimeException> invalid) {
        if (!wildcard) {
            if (f == Family.IPV4 && v6) {
                throw invalid.apply("all, since mailfleet.bind-address " + bind + " is an IPv6 address");
            }
            if (f == Family.IPV6 && !v6) {
                throw invalid.apply("all or ipv4, since mailfleet.bind-address " + bind + " is an IPv4 address");
            }
            return bind;
        }
        if (f == Family.IPV6) {
            if (!hostHasIpv6) {
                throw invalid.apply("all or ipv4, since this host has no IPv6 address");
            }
            return "[::]";
        }
        return f == Family.ALL && hostHasIpv6 ? "::" : "0.0.0.0";
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
