package io.mailfleet.core.mailbox;

import java.util.List;

/** Messages whose flags changed, and those skipped because of UNCHANGEDSINCE. */
public record StoreResult(List<FlagUpdate> updated, List<Long> modified) {
    public StoreResult {
        updated = List.copyOf(updated);
        modified = List.copyOf(modified);
    }
}
