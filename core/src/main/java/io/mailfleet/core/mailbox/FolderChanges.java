package io.mailfleet.core.mailbox;

import java.util.List;
import java.util.Set;

/**
 * What changed in a folder after a modseq (the reconciliation a session runs on NOOP, IDLE and after a
 * change notification): messages added or re-flagged since, in uid order; uids expunged since; the
 * uids whose \Recent was claimed for the caller by this call; and the folder's counters now.
 */
public record FolderChanges(String folder, long uidValidity, long uidNext, long highestModseq,
                            List<MessageView> changed, List<Long> expunged, Set<Long> recent) {
    public FolderChanges {
        changed = List.copyOf(changed);
        expunged = List.copyOf(expunged);
        recent = Set.copyOf(recent);
    }
}
