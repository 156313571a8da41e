package io.mailfleet.server.config;

import io.mailfleet.core.dnsbl.DnsblSites;
import io.mailfleet.protocols.smtp.dnsbl.DnsblSettings;

import java.time.Duration;
import java.util.Map;

/**
 * {@code mailfleet.postscreen.dnsbl}: postscreen's DNSBL test of port 25 ({@code ENABLE_DNSBL}, off by
 * default as in docker-mailserver). With no sites configured the test uses docker-mailserver's list and
 * its threshold 3; with a configured list the threshold defaults to postscreen's 1. The action is
 * {@code mailfleet.postscreen.action} ({@code POSTSCREEN_ACTION}), as docker-mailserver sets it.
 *
 * @param enabled  whether port 25 runs the test
 * @param settings the lists, threshold, action and pass TTL
 */
public record DnsblConfig(boolean enabled, DnsblSettings settings) {

    /** postscreen_dnsbl_threshold's default. */
    static final int POSTSCREEN_THRESHOLD = 1;
    /** docker-mailserver's threshold, used with its list. */
    static final int DOCKER_MAILSERVER_THRESHOLD = 3;

    /** Reads and checks the keys; a bad value names its key. */
    static DnsblConfig read(ValueReader r) {
        boolean enabled = r.bool("mailfleet.postscreen.dnsbl.enabled");
        String spec = r.string("mailfleet.postscreen.dnsbl.sites");
        boolean dmsList = spec.isBlank();
        DnsblSites sites;
        try {
            sites = DnsblSites.parse(dmsList ? DnsblSites.DOCKER_MAILSERVER : spec);
        } catch (IllegalArgumentException e) {
            throw r.invalid("mailfleet.postscreen.dnsbl.sites", spec, "postscreen_dnsbl_sites entries such as "
                    + "zen.spamhaus.org=127.0.0.[2..11]*3 (" + e.getMessage() + ")");
        }
        String t = r.string("mailfleet.postscreen.dnsbl.threshold").trim();
        int threshold;
        if (t.isEmpty()) {
            threshold = dmsList ? DOCKER_MAILSERVER_THRESHOLD : POSTSCREEN_THRESHOLD;
        } else if (t.matches("-?[0-9]{1,4}")) {
            threshold = Integer.parseInt(t);
        } else {
            throw r.invalid("mailfleet.postscreen.dnsbl.threshold", t, "a whole number -9999..9999, or \"\" for the default");
        }
        Duration passTtl = r.durationIn("mailfleet.postscreen.dnsbl.pass-ttl", Duration.ZERO, Duration.ofDays(30),
                "between 0s and 30d");
        return new DnsblConfig(enabled, new DnsblSettings(sites, threshold, PostscreenConfig.read(r).action(), passTtl));
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static DnsblConfig of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }
}
