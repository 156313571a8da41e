package io.mailfleet.core.directory;

import java.util.List;

/** A PCRE-style alias from {@code postfix-regexp.cf}: a pattern matched after the virtual aliases. */
public record RegexAlias(String pattern, List<String> targets) {
    public RegexAlias {
        targets = List.copyOf(targets);
    }
}
