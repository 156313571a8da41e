package io.mailfleet.core.auth.spf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Locale;

/** CIDR matching and the address spellings the SPF macros use. */
final class Networks {

    private static final String HEX = "0123456789ABCDEF";

    private Networks() {
    }

    /** True when {@code address} lies in {@code network/prefix}; different families never match. */
    static boolean contains(InetAddress network, int prefix, InetAddress address) {
        byte[] n = network.getAddress();
        byte[] a = address.getAddress();
        if (n.length != a.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (n[i] != a[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (n[full] & mask) == (a[full] & mask);
    }

    /**
     * %{i}: dotted quad, or for IPv6 the 32 nibbles separated by dots (section 7.3). The RFC leaves the
     * case of the hex digits open (DNS does not care); upper case is what the OpenSPF suite expects
     * in explanations.
     */
    static String dotted(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        StringBuilder b = new StringBuilder();
        for (byte x : address.getAddress()) {
            if (b.length() > 0) {
                b.append('.');
            }
            b.append(HEX.charAt((x >> 4) & 0xf)).append('.').append(HEX.charAt(x & 0xf));
        }
        return b.toString();
    }

    /** %{c}: dotted quad, or the RFC 5952 compressed IPv6 form. */
    static String readable(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLen - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]).toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }
}
