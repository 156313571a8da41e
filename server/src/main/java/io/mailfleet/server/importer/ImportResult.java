package io.mailfleet.server.importer;

import java.time.Duration;
import java.util.List;

/**
 * What an import did: messages and bytes added, messages already there (an earlier run or a
 * duplicate in the source), entries skipped with their reasons, folders created, and how long it took.
 */
public record ImportResult(String account, long imported, long bytes, long alreadyPresent, List<Skip> skipped,
                           List<String> foldersCreated, Duration took) {

    public ImportResult {
        skipped = List.copyOf(skipped);
        foldersCreated = List.copyOf(foldersCreated);
    }

    /** One entry of the source not imported: where it is and why. */
    public record Skip(String origin, String reason) {
    }
}
