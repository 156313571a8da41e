package io.mailfleet.cluster.ban;

import io.mailfleet.core.ban.Ban;
import io.mailfleet.core.ban.FailureWindow;
import io.mailfleet.core.ban.IpNetwork;
import io.mailfleet.core.ban.Jail;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@code BanList} entity owns: the failure windows of the addresses in its bucket (key
 * {@code "ip jail"}) and the bans of networks whose network address lies in the bucket (key
 * {@code "network jail"}). Immutable; every change returns a new state, dropping what has expired.
 */
public record BanListState(Map<String, FailureWindow> failures, Map<String, Ban> bans) {

    public BanListState {
        failures = Map.copyOf(failures);
        bans = Map.copyOf(bans);
    }

    public static BanListState empty() {
        return new BanListState(Map.of(), Map.of());
    }

    static String key(String network, Jail jail) {
        return network + " " + jail.jailName();
    }

    /** Active bans at {@code now}, in a stable order. */
    public List<Ban> activeBans(Instant now) {
        List<Ban> out = new ArrayList<>();
        for (Ban b : bans.values()) {
            if (b.activeAt(now)) {
                out.add(b);
            }
        }
        out.sort(java.util.Comparator.comparing((Ban b) -> b.jail().jailName()).thenComparing(Ban::network));
        return out;
    }

    /** Whether an active ban in any jail covers {@code address}. */
    public boolean covers(InetAddress address, Instant now) {
        for (Ban b : bans.values()) {
            if (b.activeAt(now) && IpNetwork.parse(b.network()).contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The active ban of exactly {@code network} in {@code jail}, or null. */
    public Ban activeBan(String network, Jail jail, Instant now) {
        Ban b = bans.get(key(network, jail));
        return b != null && b.activeAt(now) ? b : null;
    }

    public FailureWindow window(String ip, Jail jail) {
        return failures.getOrDefault(key(ip, jail), FailureWindow.empty());
    }

    BanListState withFailure(String ip, Jail jail, long at, long findTimeMillis, int maxRetry) {
        Map<String, FailureWindow> f = pruneWindows(at, findTimeMillis);
        f.put(key(ip, jail), window(ip, jail).record(at, findTimeMillis, maxRetry));
        return new BanListState(f, pruneBans(at));
    }

    BanListState withBan(Ban ban, long findTimeMillis) {
        long at = ban.since().toEpochMilli();
        Map<String, FailureWindow> f = pruneWindows(at, findTimeMillis);
        // The failures that led to the ban are used up, as with Fail2ban.
        f.remove(key(ban.network(), ban.jail()));
        Map<String, Ban> b = pruneBans(at);
        b.put(key(ban.network(), ban.jail()), ban);
        return new BanListState(f, b);
    }

    BanListState without(String network, long at, long findTimeMillis) {
        Map<String, Ban> b = pruneBans(at);
        b.values().removeIf(x -> x.network().equals(network));
        return new BanListState(pruneWindows(at, findTimeMillis), b);
    }

    private Map<String, FailureWindow> pruneWindows(long at, long findTimeMillis) {
        Map<String, FailureWindow> f = new HashMap<>();
        failures.forEach((k, w) -> {
            if (w.countAt(at, findTimeMillis) > 0) {
                f.put(k, w);
            }
        });
        return f;
    }

    private Map<String, Ban> pruneBans(long at) {
        Map<String, Ban> b = new HashMap<>();
        Instant now = Instant.ofEpochMilli(at);
        bans.forEach((k, x) -> {
            if (x.activeAt(now)) {
                b.put(k, x);
            }
        });
        return b;
    }
}
