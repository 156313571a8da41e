package io.mailfleet.protocols.outbound;

import java.util.Locale;

/**
 * Where to send mail, in Postfix nexthop syntax as docker-mailserver's relay settings use it:
 * {@code [host]:port} or {@code [host]} connects to the host itself (no MX lookup),
 * {@code host:port} or {@code host} looks up the MX records of {@code host}.
 *
 * @param host      host or domain name (or IP literal) without brackets
 * @param port      TCP port, 25 unless given
 * @param mxLookup  false for the bracketed form
 */
public record NextHop(String host, int port, boolean mxLookup) {

    public static final int SMTP_PORT = 25;

    public NextHop {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("relay host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("relay port " + port + " is not between 1 and 65535");
        }
        host = host.toLowerCase(Locale.ROOT);
    }

    /** Direct delivery to a recipient domain's MX on port 25. */
    public static NextHop domain(String domain) {
        return new NextHop(domain, SMTP_PORT, true);
    }

    /**
     * Parses {@code [host]:port}, {@code [host]}, {@code host:port} or {@code host}.
     *
     * @throws IllegalArgumentException naming the problem when the value is malformed
     */
    public static NextHop parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("relay host is empty");
        }
        String v = value.strip();
        boolean literal = v.startsWith("[");
        String host;
        String rest;
        if (literal) {
            int close = v.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("relay host '" + value + "' has '[' without ']'");
            }
            host = v.substring(1, close);
            rest = v.substring(close + 1);
        } else {
            int colon = v.lastIndexOf(':');
            if (colon >= 0 && v.indexOf(':') != colon) {
                throw new IllegalArgumentException("relay host '" + value
                        + "': write an IPv6 address in brackets, e.g. [2001:db8::1]:25");
            }
            host = colon < 0 ? v : v.substring(0, colon);
            rest = colon < 0 ? "" : v.substring(colon);
        }
        int port = SMTP_PORT;
        if (!rest.isEmpty()) {
            if (!rest.startsWith(":") || rest.length() == 1) {
                throw new IllegalArgumentException("relay host '" + value + "': expected ':port' after the host");
            }
            try {
                port = Integer.parseInt(rest.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("relay host '" + value + "': port '" + rest.substring(1)
                        + "' is not a number");
            }
        }
        if (host.isBlank() || host.chars().anyMatch(c -> c <= ' ' || c == '[' || c == ']' || c == '@')) {
            throw new IllegalArgumentException("relay host '" + value + "' has an invalid host name");
        }
        return new NextHop(host, port, !literal);
    }

    @Override
    public String toString() {
        return mxLookup ? host + ":" + port : "[" + host + "]:" + port;
    }
}
