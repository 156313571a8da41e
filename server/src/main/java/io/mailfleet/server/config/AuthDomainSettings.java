package io.mailfleet.server.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.mailfleet.protocols.smtp.auth.DmarcPolicy;
import io.mailfleet.protocols.smtp.spf.SpfPolicy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code mailfleet.auth.domains}: inbound authentication settings of particular local recipient domains
 * in place of the node's: the SPF fail action ({@code spf-action}), the DMARC failure action
 * ({@code dmarc-failure-action}, OpenDMARC's RejectFailures per domain) and the trusted ARC sealers
 * ({@code arc-trusted-sealers}). Set in the configuration file only, e.g.
 * {@code mailfleet.auth.domains."example.org" { spf-action = tag, dmarc-failure-action = tag }}.
 *
 * @param domains lower-case domain to its settings
 */
public record AuthDomainSettings(Map<String, DomainAuth> domains) {

    static final String KEY = "mailfleet.auth.domains";
    private static final Set<String> KEYS = Set.of("spf-action", "dmarc-failure-action", "arc-trusted-sealers");

    public AuthDomainSettings {
        domains = Map.copyOf(domains);
    }

    /**
     * One domain's settings; a null value means the node's setting applies.
     *
     * @param spfAction         what an SPF fail gets at this domain's RCPTs
     * @param dmarcAction       what a DMARC failure of mail to this domain gets
     * @param arcTrustedSealers the sealers this domain trusts (lower case; empty: none)
     */
    public record DomainAuth(SpfPolicy.FailAction spfAction, DmarcPolicy.Action dmarcAction,
                             List<String> arcTrustedSealers) {
        public DomainAuth {
            arcTrustedSealers = arcTrustedSealers == null ? null : List.copyOf(arcTrustedSealers);
        }
    }

    /** The domains' SPF actions, for those that set one. */
    public Map<String, SpfPolicy.FailAction> spfActions() {
        Map<String, SpfPolicy.FailAction> out = new TreeMap<>();
        domains.forEach((d, a) -> {
            if (a.spfAction() != null) {
                out.put(d, a.spfAction());
            }
        });
        return out;
    }

    /** The domains' DMARC actions, for those that set one. */
    public Map<String, DmarcPolicy.Action> dmarcActions() {
        Map<String, DmarcPolicy.Action> out = new TreeMap<>();
        domains.forEach((d, a) -> {
            if (a.dmarcAction() != null) {
                out.put(d, a.dmarcAction());
            }
        });
        return out;
    }

    /** The domains' trusted sealers, for those that set them. */
    public Map<String, List<String>> trustedSealers() {
        Map<String, List<String>> out = new TreeMap<>();
        domains.forEach((d, a) -> {
            if (a.arcTrustedSealers() != null) {
                out.put(d, a.arcTrustedSealers());
            }
        });
        return out;
    }

    /** Reads and checks the section; a bad domain, unknown key or value stops start-up naming the key. */
    static AuthDomainSettings read(ValueReader r) {
        ConfigValue section = r.config().hasPath(KEY) ? r.config().getValue(KEY) : null;
        if (section == null) {
            return new AuthDomainSettings(Map.of());
        }
        if (!(section instanceof ConfigObject obj)) {
            throw r.invalid(KEY, String.valueOf(section.unwrapped()),
                    "a section of domains, e.g. { \"example.org\" { spf-action = tag } }");
        }
        Map<String, DomainAuth> out = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
            String domain = e.getKey().strip().toLowerCase(Locale.ROOT);
            String path = KEY + "." + ConfigUtil.quoteString(e.getKey());
            if (!domain.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)+") || domain.length() > 253) {
                throw r.invalid(path, e.getKey(), "a domain name such as example.org (quoted: \"example.org\")");
            }
            if (!(e.getValue() instanceof ConfigObject settings)) {
                throw r.invalid(path, String.valueOf(e.getValue().unwrapped()),
                        "a section such as { spf-action = tag, dmarc-failure-action = tag }");
            }
            for (String k : settings.keySet()) {
                if (!KEYS.contains(k)) {
                    throw new ConfigError("unknown key " + path + "." + k + " — allowed: " + String.join(", ",
                            new java.util.TreeSet<>(KEYS)));
                }
            }
            if (out.containsKey(domain)) {
                throw r.invalid(path, e.getKey(), "each domain once (names are not case-sensitive)");
            }
            out.put(domain, new DomainAuth(
                    settings.containsKey("spf-action") ? r.choice(path + ".spf-action", spfValues()) : null,
                    settings.containsKey("dmarc-failure-action")
                            ? r.choice(path + ".dmarc-failure-action", DmarcSettings.actions()) : null,
                    settings.containsKey("arc-trusted-sealers")
                            ? ArcSettings.sealers(r, path + ".arc-trusted-sealers") : null));
        }
        return new AuthDomainSettings(out);
    }

    private static Map<String, SpfPolicy.FailAction> spfValues() {
        Map<String, SpfPolicy.FailAction> m = new LinkedHashMap<>();
        m.put("reject", SpfPolicy.FailAction.REJECT);
        m.put("tag", SpfPolicy.FailAction.TAG);
        return m;
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static AuthDomainSettings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }
}
