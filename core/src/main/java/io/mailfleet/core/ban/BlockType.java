package io.mailfleet.core.ban;

import java.util.Locale;

/**
 * docker-mailserver's {@code FAIL2BAN_BLOCKTYPE}. A Java server cannot stop the TCP handshake the
 * way a firewall does, so both close a banned client's connection at accept without a byte of
 * banner: {@code drop} closes silently (FIN); {@code reject} resets the connection (RST), the
 * nearest equivalent of the ICMP "port unreachable" a firewall would send.
 */
public enum BlockType {
    DROP, REJECT;

    /** Parses {@code drop} or {@code reject}; throws naming the value otherwise. */
    public static BlockType parse(String text) {
        return switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
            case "drop" -> DROP;
            case "reject" -> REJECT;
            default -> throw new IllegalArgumentException("'" + text + "' is not a block type (drop or reject)");
        };
    }
}
