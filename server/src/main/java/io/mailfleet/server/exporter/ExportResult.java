package io.mailfleet.server.exporter;

import java.time.Duration;
import java.util.List;

/** What an export wrote: folders, messages and bytes, what could not be written and why, how long it took. */
public record ExportResult(String account, String target, int folders, long messages, long bytes,
                           List<Skip> skipped, Duration took) {

    public ExportResult {
        skipped = List.copyOf(skipped);
    }

    /** A folder or message not exported, and why. */
    public record Skip(String what, String reason) {
    }
}
