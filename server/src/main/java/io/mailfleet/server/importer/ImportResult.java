package io.mailfleet.server.importer;

import java.time.Duration;
import java.util.List;

/**
 * What an import did: messages and bytes added, messages already there (an earlier run or a
 * duplicate in the source), entries skipped with their reasons, folders created, how many imported
 * messages kept the UID they had in the source, notes (imported, but
 * not quite as the source had it: a UID not kept), the folders subscribed, the Sieve scripts stored
 * and the active one (null for none), where each folder whose UIDs were kept got its CONDSTORE
 * state from ({@code condstore}: folder and how), and how long it took.
 */
public record ImportResult(String account, long imported, long bytes, long alreadyPresent, List<Skip> skipped,
                           List<String> foldersCreated, long uidsKept, List<Skip> notes, List<String> subscribed,
                           List<String> sieveScripts, String sieveActive, List<Skip> condstore, Duration took) {

    public ImportResult {
        condstore = List.copyOf(condstore);
        skipped = List.copyOf(skipped);
        foldersCreated = List.copyOf(foldersCreated);
        notes = List.copyOf(notes);
        subscribed = List.copyOf(subscribed);
        sieveScripts = List.copyOf(sieveScripts);
    }

    /** One entry of the source not imported: where it is and why. */
    public record Skip(String origin, String reason) {
    }
}
