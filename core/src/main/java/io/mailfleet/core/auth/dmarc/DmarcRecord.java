package io.mailfleet.core.auth.dmarc;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A DMARC policy record (RFC 7489 section 6.3, np= of RFC 9091): what a domain asks receivers to do.
 *
 * @param p            the domain's policy
 * @param sp           the policy for subdomains, or null (then p)
 * @param np           the policy for non-existent subdomains, or null (then sp, then p)
 * @param pct          the share of failing mail the policy applies to, 0..100
 * @param strictDkim   adkim=s
 * @param strictSpf    aspf=s
 */
public record DmarcRecord(Policy p, Policy sp, Policy np, int pct, boolean strictDkim, boolean strictSpf) {

    /** A requested disposition. */
    public enum Policy {
        NONE, QUARANTINE, REJECT;

        static Policy parse(String v) {
            return switch (v.strip().toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "quarantine" -> QUARANTINE;
                case "reject" -> REJECT;
                default -> null;
            };
        }

        /** The keyword in records and Authentication-Results. */
        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The record in {@code txt}, or empty when it is not a DMARC record ({@code v=DMARC1} first) or has no
     * usable policy. A record with an invalid or absent p= but an rua= counts as p=none (section 6.6.3).
     */
    public static Optional<DmarcRecord> parse(String txt) {
        String[] parts = txt.split(";");
        if (parts.length == 0 || !parts[0].replace(" ", "").replace("\t", "").equals("v=DMARC1")) {
            return Optional.empty();
        }
        Map<String, String> tags = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                tags.putIfAbsent(parts[i].substring(0, eq).strip().toLowerCase(Locale.ROOT), parts[i].substring(eq + 1).strip());
            }
        }
        Policy p = tags.containsKey("p") ? Policy.parse(tags.get("p")) : null;
        if (p == null) {
            if (!tags.containsKey("rua")) {
                return Optional.empty();
            }
            p = Policy.NONE;
        }
        Policy sp = tags.containsKey("sp") ? Policy.parse(tags.get("sp")) : null;
        Policy np = tags.containsKey("np") ? Policy.parse(tags.get("np")) : null;
        int pct = 100;
        if (tags.containsKey("pct")) {
            try {
                pct = Math.max(0, Math.min(100, Integer.parseInt(tags.get("pct"))));
            } catch (NumberFormatException e) {
                pct = 100;
            }
        }
        return Optional.of(new DmarcRecord(p, sp, np, pct, "s".equalsIgnoreCase(tags.get("adkim")),
                "s".equalsIgnoreCase(tags.get("aspf"))));
    }
}
