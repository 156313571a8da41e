package io.mailfleet.core.dnsbl;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The name a list is asked for a client: its reversed octets, or nibbles for IPv6 (RFC 5782). */
public final class DnsblNames {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private DnsblNames() {
    }

    /** {@code 4.3.2.1.zone} for 1.2.3.4; 32 reversed hex nibbles before the zone for an IPv6 address. */
    public static String query(InetAddress client, String zone) {
        InetAddress a = unmapped(client);
        byte[] b = a.getAddress();
        StringBuilder s = new StringBuilder(80);
        if (a instanceof Inet4Address) {
            for (int i = 3; i >= 0; i--) {
                s.append(b[i] & 0xff).append('.');
            }
        } else {
            for (int i = 15; i >= 0; i--) {
                s.append(HEX[b[i] & 0xf]).append('.').append(HEX[(b[i] >> 4) & 0xf]).append('.');
            }
        }
        return s.append(zone).toString();
    }

    /** An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) as the IPv4 client it is. */
    public static InetAddress unmapped(InetAddress client) {
        if (client instanceof Inet6Address) {
            byte[] b = client.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                try {
                    return InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return client;
    }
}
