package io.mailfleet.core.dms;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The entries and problems of one config file, gathered while its lines are parsed. */
final class ParseCollector<T> {

    private final String file;
    private final List<T> entries = new ArrayList<>();
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Set<String> keys = new HashSet<>();

    ParseCollector(String file) {
        this.file = file;
    }

    /** Reports a problem of line {@code number} (counted from 1). */
    void problem(int number, String line, String text) {
        problems.add(new ConfigProblem(file, number, line, text));
    }

    /** Whether {@code key} comes for the first time: the first line with a key wins, later ones are duplicates. */
    boolean first(String key) {
        return keys.add(key);
    }

    void add(T entry) {
        entries.add(entry);
    }

    ParseResult<T> result() {
        return new ParseResult<>(entries, problems);
    }
}
