package io.mailfleet.core.mailbox;

import java.util.Set;

/** The new flags and modseq of one message. */
public record FlagUpdate(long uid, Set<String> flags, long modseq) {
    public FlagUpdate {
        flags = Set.copyOf(flags);
    }
}
