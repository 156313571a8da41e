package io.mailfleet.protocols.smtp.auth;

import io.mailfleet.core.auth.dmarc.ArcOverride;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The DMARC action and the trusted ARC sealers of particular local recipient domains, in place of the
 * node's. The end of DATA has one answer for all recipients of a message, so a message to several
 * domains gets the most lenient of their settings: nothing is refused that one recipient's domain
 * would take, and any recipient domain's trusted sealer may vouch for it.
 *
 * @param dmarcActions   recipient domain (lower case) to its DMARC action
 * @param trustedSealers recipient domain (lower case) to the sealers it trusts (an empty list: none)
 */
public record RecipientDomainRules(Map<String, DmarcPolicy.Action> dmarcActions,
                                   Map<String, ArcOverride> trustedSealers) {

    /** No domain has rules of its own. */
    public static final RecipientDomainRules NONE = new RecipientDomainRules(Map.of(), Map.of());

    public RecipientDomainRules {
        dmarcActions = lowerKeys(dmarcActions);
        trustedSealers = lowerKeys(trustedSealers);
    }

    /** The action for a message to {@code recipients}: the most lenient of their domains' (else {@code global}). */
    public DmarcPolicy.Action action(List<String> recipients, DmarcPolicy.Action global) {
        if (dmarcActions.isEmpty() || recipients.isEmpty()) {
            return global;
        }
        DmarcPolicy.Action lenient = null;
        for (String r : recipients) {
            DmarcPolicy.Action a = dmarcActions.getOrDefault(domain(r), global);
            if (lenient == null || a.ordinal() > lenient.ordinal()) {
                lenient = a;
            }
        }
        return lenient;
    }

    /** The overrides that may vouch for a message to {@code recipients}: each domain's own, else {@code global}. */
    public List<ArcOverride> arcOverrides(List<String> recipients, ArcOverride global) {
        if (trustedSealers.isEmpty() || recipients.isEmpty()) {
            return List.of(global);
        }
        List<ArcOverride> out = new ArrayList<>();
        for (String r : recipients) {
            ArcOverride o = trustedSealers.getOrDefault(domain(r), global);
            if (!out.contains(o)) {
                out.add(o);
            }
        }
        return out;
    }

    /** The domain of an address, lower case ("" without one). */
    public static String domain(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    private static <V> Map<String, V> lowerKeys(Map<String, V> m) {
        Map<String, V> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return Map.copyOf(out);
    }
}
