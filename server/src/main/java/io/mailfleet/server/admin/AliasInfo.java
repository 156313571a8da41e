package io.mailfleet.server.admin;

import java.util.List;

/** An alias source ({@code user@domain} or {@code @domain}) and its targets, in insertion order. */
public record AliasInfo(String alias, List<String> targets) {

    public AliasInfo {
        targets = List.copyOf(targets);
    }
}
