package io.mailfleet.core.fetchmail;

import java.util.List;

/**
 * What a {@code fetchmail.cf} said: the usable sources, the entries refused ({@code file:line: why};
 * the other entries still work), and notes about lines that are read but have no effect.
 */
public record FetchmailConfig(List<FetchmailSource> sources, List<String> problems, List<String> notes) {

    /** No file: nothing to poll. */
    public static final FetchmailConfig EMPTY = new FetchmailConfig(List.of(), List.of(), List.of());

    public FetchmailConfig {
        sources = List.copyOf(sources);
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }
}
