package io.mailfleet.core.mailbox;

import java.util.List;

/** UIDPLUS COPYUID data: source uids and the uids they got in the destination, pairwise. */
public record CopyResult(long uidValidity, List<Long> sourceUids, List<Long> destinationUids) {
    public CopyResult {
        sourceUids = List.copyOf(sourceUids);
        destinationUids = List.copyOf(destinationUids);
    }
}
