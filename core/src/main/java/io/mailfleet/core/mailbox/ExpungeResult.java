package io.mailfleet.core.mailbox;

import java.util.List;

/** The uids removed by an expunge, ascending, and the modseq of the removal. */
public record ExpungeResult(List<Long> uids, long modseq) {
    public ExpungeResult {
        uids = List.copyOf(uids);
    }
}
