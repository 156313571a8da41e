package io.mailfleet.server.config;

import io.mailfleet.core.ban.BanPolicy;
import io.mailfleet.core.ban.BanWidthLimit;
import io.mailfleet.core.ban.BlockType;
import io.mailfleet.core.ban.IpNetwork;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mailfleet.fail2ban}: whether the cluster-wide ban list is on ({@code ENABLE_FAIL2BAN}, off
 * by default as in docker-mailserver) and its policy ({@code FAIL2BAN_BLOCKTYPE}, thresholds, times,
 * ignore list, widest manual ban without force).
 */
public record Fail2banSettings(boolean enabled, BanPolicy policy) {

    static Fail2banSettings read(ValueReader r) {
        boolean enabled = r.bool("mailfleet.fail2ban.enabled");
        int maxRetry = r.intIn("mailfleet.fail2ban.max-retry", 1, 1_000_000);
        List<IpNetwork> ignore = new ArrayList<>();
        for (String n : r.stringList("mailfleet.fail2ban.ignore-networks")) {
            try {
                ignore.add(IpNetwork.parse(n));
            } catch (IllegalArgumentException e) {
                throw r.invalid("mailfleet.fail2ban.ignore-networks", n,
                        "IP networks in CIDR notation such as 192.168.0.0/16 or 2001:db8::/32, or single IP addresses");
            }
        }
        Map<String, BlockType> types = new LinkedHashMap<>();
        types.put("drop", BlockType.DROP);
        types.put("reject", BlockType.REJECT);
        BlockType type = r.choice("mailfleet.fail2ban.block-type", types);
        BanWidthLimit widest = new BanWidthLimit(r.intIn("mailfleet.fail2ban.widest-ban-ipv4", 0, 32),
                r.intIn("mailfleet.fail2ban.widest-ban-ipv6", 0, 128));
        return new Fail2banSettings(enabled, new BanPolicy(maxRetry, r.duration("mailfleet.fail2ban.find-time"),
                r.duration("mailfleet.fail2ban.ban-time"), r.duration("mailfleet.fail2ban.manual-ban-time"), ignore, type,
                widest));
    }
}
