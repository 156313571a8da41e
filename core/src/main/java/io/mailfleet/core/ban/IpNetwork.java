package io.mailfleet.core.ban;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A single IPv4/IPv6 address or a CIDR network, normalised (host bits cleared) and printed in a
 * canonical form ({@code 192.0.2.7}, {@code 192.0.2.0/24}, {@code 2001:db8::/64}) so the same
 * network always has the same text. Parsing never touches DNS.
 */
public final class IpNetwork {

    private static final String IPV4 = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}";

    private final byte[] network;
    private final int prefix;

    private IpNetwork(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * Parses {@code address[/prefix]}.
     *
     * @throws IllegalArgumentException naming the bad value when it is not an IP address or network
     */
    public static IpNetwork parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no IP address given");
        }
        String s = text.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes = literal(addr).orElseThrow(() -> new IllegalArgumentException(
                "'" + text + "' is not an IP address or network (like 192.0.2.7, 192.0.2.0/24 or 2001:db8::/64)"));
        int max = bytes.length * 8;
        int p = max;
        if (slash >= 0) {
            String digits = s.substring(slash + 1);
            if (!digits.matches("[0-9]{1,3}")) {
                throw new IllegalArgumentException("'" + text + "' has a bad prefix length (0.." + max + ")");
            }
            p = Integer.parseInt(digits);
            if (p > max) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + max);
            }
        }
        return new IpNetwork(mask(bytes, p), p);
    }

    /** The single-address network of {@code address} (/32 or /128). */
    public static IpNetwork of(InetAddress address) {
        byte[] b = address.getAddress();
        return new IpNetwork(b, b.length * 8);
    }

    /** The address bytes of an IP literal, without DNS: dotted quad, or anything with a colon that Java parses. */
    static java.util.Optional<byte[]> literal(String addr) {
        boolean v4 = addr.matches(IPV4);
        boolean v6 = addr.contains(":") && addr.matches("[0-9a-fA-F:.]+");
        if (!v4 && !v6) {
            return java.util.Optional.empty();
        }
        try {
            // Literal forms only (checked above), so this never resolves a name.
            return java.util.Optional.of(InetAddress.getByName(addr).getAddress());
        } catch (UnknownHostException e) {
            return java.util.Optional.empty();
        }
    }

    static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff00 >> bitsHere));
        }
        return out;
    }

    public boolean isIpv4() {
        return network.length == 4;
    }

    public int prefix() {
        return prefix;
    }

    /** Whether this is one address rather than a network. */
    public boolean isSingleAddress() {
        return prefix == network.length * 8;
    }

    /** The network address bytes (a copy). */
    public byte[] networkBytes() {
        return network.clone();
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        return a.length == network.length && Arrays.equals(mask(a, prefix), network);
    }

    /** Whether {@code other} lies completely inside this network. */
    public boolean contains(IpNetwork other) {
        return other.network.length == network.length && other.prefix >= prefix
                && Arrays.equals(mask(other.network, prefix), network);
    }

    /**
     * The ban-list bucket that owns decisions about this network: the IPv4 /24 or IPv6 /64 holding
     * its network address (docs/architecture.md, "Entities").
     */
    public String bucket() {
        int p = isIpv4() ? 24 : 64;
        return new IpNetwork(mask(network, p), p).toString();
    }

    /** The bucket of a single address. */
    public static String bucketOf(InetAddress address) {
        return of(address).bucket();
    }

    @Override
    public String toString() {
        String a = isIpv4() ? v4Text(network) : v6Text(network);
        return isSingleAddress() ? a : a + "/" + prefix;
    }

    private static String v4Text(byte[] b) {
        return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }

    /** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as {@code ::}. */
    static String v6Text(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** The address as an {@link InetAddress} (the network address for a network). */
    public InetAddress address() {
        try {
            return InetAddress.getByAddress(network);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpNetwork n && n.prefix == prefix && Arrays.equals(n.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }
}
