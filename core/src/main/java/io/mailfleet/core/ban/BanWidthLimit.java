package io.mailfleet.core.ban;

/**
 * The widest network an operator may ban without saying {@code force}: {@code 0.0.0.0/0} or {@code ::/0} by
 * mistake would cut off every client of every node. Defaults: IPv4 /8, IPv6 /32 (a large provider's block).
 *
 * @param ipv4Prefix the shortest IPv4 prefix accepted without force (0..32)
 * @param ipv6Prefix the shortest IPv6 prefix accepted without force (0..128)
 */
public record BanWidthLimit(int ipv4Prefix, int ipv6Prefix) {

    /** /8 for IPv4, /32 for IPv6. */
    public static final BanWidthLimit DEFAULT = new BanWidthLimit(8, 32);

    public BanWidthLimit {
        if (ipv4Prefix < 0 || ipv4Prefix > 32) {
            throw new IllegalArgumentException("widest IPv4 ban prefix must be 0..32, not " + ipv4Prefix);
        }
        if (ipv6Prefix < 0 || ipv6Prefix > 128) {
            throw new IllegalArgumentException("widest IPv6 ban prefix must be 0..128, not " + ipv6Prefix);
        }
    }

    /**
     * Refuses a network wider than the limit unless {@code force}.
     *
     * @throws BanException {@code too-wide}, naming the limit and how to force it
     */
    public void check(IpNetwork network, boolean force) {
        int limit = network.isIpv4() ? ipv4Prefix : ipv6Prefix;
        if (!force && network.prefix() < limit) {
            String key = network.isIpv4() ? "mailfleet.fail2ban.widest-ban-ipv4" : "mailfleet.fail2ban.widest-ban-ipv6";
            throw new BanException("too-wide", "'" + network + "' is wider than /" + limit + ", the widest "
                    + (network.isIpv4() ? "IPv4" : "IPv6") + " ban accepted without force (" + key + "): it would cut off "
                    + "every client in it on every node. Use --force (CLI) or force=true (API) to ban it anyway");
        }
    }
}
