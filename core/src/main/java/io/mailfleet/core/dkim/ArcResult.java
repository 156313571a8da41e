package io.mailfleet.core.dkim;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The ARC chain validation of one message (RFC 8617 §5.2): the chain validation status, why, and the
 * sets of a chain that passed (who sealed each and what its ARC-Authentication-Results recorded).
 *
 * @param status     none, pass or fail (the {@code cv=} value and the {@code arc=} result)
 * @param detail     why, for logs and the Authentication-Results comment
 * @param instances  the highest instance on the message (0 for none)
 * @param oldestPass RFC 8617 §5.2 step 5: the oldest instance whose AMS still validates, 0 when all do
 * @param sets       the sets of a passing chain, instance 1 first; empty otherwise
 */
public record ArcResult(Status status, String detail, int instances, int oldestPass, List<ArcSet> sets) {

    public ArcResult {
        sets = List.copyOf(sets);
    }

    /** RFC 8617 chain validation status values. */
    public enum Status {
        NONE, PASS, FAIL;

        /** The {@code cv=} / {@code arc=} keyword. */
        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One validated ARC set.
     *
     * @param instance the i= value
     * @param sealer   the ARC-Seal's d= (lower case): the ADMD that sealed this hop
     * @param results  the ARC-Authentication-Results value after {@code i=N;} (authserv-id and results)
     */
    public record ArcSet(int instance, String sealer, String results) {
    }

    static ArcResult none() {
        return new ArcResult(Status.NONE, "no ARC sets", 0, 0, List.of());
    }

    static ArcResult fail(int instances, String why) {
        return new ArcResult(Status.FAIL, why, instances, 0, List.of());
    }

    /** The newest set sealed by one of {@code domains} (lower case), on a passing chain. */
    public Optional<ArcSet> newestSealedBy(java.util.Collection<String> domains) {
        for (int i = sets.size() - 1; i >= 0; i--) {
            if (domains.contains(sets.get(i).sealer())) {
                return Optional.of(sets.get(i));
            }
        }
        return Optional.empty();
    }
}
