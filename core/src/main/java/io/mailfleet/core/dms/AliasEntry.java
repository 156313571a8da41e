package io.mailfleet.core.dms;

import java.util.List;

/** One alias of {@code postfix-virtual.cf}: a source ({@code user@domain} or {@code @domain}) and its targets. */
public record AliasEntry(String source, List<String> targets) {
    public AliasEntry {
        targets = List.copyOf(targets);
    }
}
