package io.mailfleet.core.dnsbl;

import java.util.List;

/**
 * How the lists rank one client.
 *
 * @param score    the sum of the weights of the sites that list it (0 when none does)
 * @param listedBy the zone named in the reply: the listing site with the largest positive weight (the
 *                 first written on a tie), or null when no block list (positive weight) lists it
 * @param hits     the entries that matched, as written, for the log
 */
public record DnsblVerdict(int score, String listedBy, List<String> hits) {

    /** Not listed anywhere. */
    public static final DnsblVerdict CLEAN = new DnsblVerdict(0, null, List.of());

    public DnsblVerdict {
        hits = List.copyOf(hits);
    }

    /** Whether the score reaches {@code threshold} (postscreen: {@code score >= postscreen_dnsbl_threshold}). */
    public boolean blocked(int threshold) {
        return score >= threshold;
    }
}
