package io.mailfleet.cluster.imports;

import java.util.Map;

/** The marks of one account's IMAP imports by remote folder key; immutable. */
public record ImportProgressState(Map<String, ImportProgressEntity.Mark> marks) {

    public ImportProgressState {
        marks = Map.copyOf(marks);
    }
}
