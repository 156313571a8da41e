package io.mailfleet.core.dms;

import java.util.List;

/** What a config file parser found: the valid entries and the problems of the skipped or odd lines. */
public record ParseResult<T>(List<T> entries, List<ConfigProblem> problems) {
    public ParseResult {
        entries = List.copyOf(entries);
        problems = List.copyOf(problems);
    }
}
