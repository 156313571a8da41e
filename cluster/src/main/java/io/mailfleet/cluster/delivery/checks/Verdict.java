package io.mailfleet.cluster.delivery.checks;

import java.util.List;

/**
 * The outcome of the whole check chain for one target.
 *
 * @param outcome the first terminal result (reject, defer, quarantine) or accept
 * @param fields  header fields to add, from every annotating check before the terminal one, in check order
 * @param results every check that ran, in order, for the log
 */
public record Verdict(CheckResult outcome, List<String> fields, List<CheckInput.Named> results) {
    public Verdict {
        fields = List.copyOf(fields);
        results = List.copyOf(results);
    }

    /** The verdict of an empty chain. */
    public static Verdict accepted() {
        return new Verdict(new CheckResult.Accept(), List.of(), List.of());
    }
}
