package io.mailfleet.core.ban;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How failures turn into bans (docker-mailserver defaults: 6 failures within 1 week → banned for
 * 1 week; manual bans last 180 days) and which networks are never banned. Loopback
 * ({@code 127.0.0.0/8}, {@code ::1}) is always ignored, whatever is configured. Manual bans wider than
 * {@code widest} need force.
 */
public record BanPolicy(int maxRetry, Duration findTime, Duration banTime, Duration manualBanTime,
                        List<IpNetwork> ignoreNetworks, BlockType blockType, BanWidthLimit widest) {

    /** Networks never banned regardless of configuration. */
    public static final List<IpNetwork> ALWAYS_IGNORED = List.of(IpNetwork.parse("127.0.0.0/8"), IpNetwork.parse("::1"));

    public BanPolicy {
        if (maxRetry < 1) {
            throw new IllegalArgumentException("max-retry must be at least 1, not " + maxRetry);
        }
        requirePositive("find-time", findTime);
        requirePositive("ban-time", banTime);
        requirePositive("manual-ban-time", manualBanTime);
        List<IpNetwork> all = new ArrayList<>(ALWAYS_IGNORED);
        for (IpNetwork n : ignoreNetworks) {
            if (!all.contains(n)) {
                all.add(n);
            }
        }
        ignoreNetworks = List.copyOf(all);
        if (blockType == null) {
            throw new IllegalArgumentException("block type is required (drop or reject)");
        }
        if (widest == null) {
            throw new IllegalArgumentException("the ban width limit is required");
        }
    }

    /** A policy with the default ban width limit (IPv4 /8, IPv6 /32). */
    public BanPolicy(int maxRetry, Duration findTime, Duration banTime, Duration manualBanTime,
                     List<IpNetwork> ignoreNetworks, BlockType blockType) {
        this(maxRetry, findTime, banTime, manualBanTime, ignoreNetworks, blockType, BanWidthLimit.DEFAULT);
    }

    private static void requirePositive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be a positive duration, not " + d);
        }
    }

    /** docker-mailserver's defaults. */
    public static BanPolicy defaults() {
        return new BanPolicy(6, Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(180), List.of(), BlockType.DROP);
    }

    /** Whether failures from this address are never counted and the address never banned. */
    public boolean isIgnored(InetAddress address) {
        for (IpNetwork n : ignoreNetworks) {
            if (n.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code network} lies wholly inside an ignored network, so banning it would have no
     * effect (ignored addresses pass even when a wider ban covers them).
     */
    public boolean isInsideIgnored(IpNetwork network) {
        for (IpNetwork n : ignoreNetworks) {
            if (n.contains(network)) {
                return true;
            }
        }
        return false;
    }
}
