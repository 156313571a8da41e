package io.mailfleet.core.mailbox;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.mime.MessageSummary;

import java.time.Instant;
import java.util.Set;

/** One message as a session sees it: identity, flags, where its bytes are and its parsed summary. */
public record MessageView(long uid, long modseq, Set<String> flags, Instant internalDate, BlobRef blob,
                          MessageSummary summary) {
    public MessageView {
        flags = Set.copyOf(flags);
    }

    public long size() {
        return blob.size();
    }

    public MessageView withFlags(Set<String> newFlags, long newModseq) {
        return new MessageView(uid, newModseq, newFlags, internalDate, blob, summary);
    }

    public MessageView withSummary(MessageSummary s) {
        return new MessageView(uid, modseq, flags, internalDate, blob, s);
    }
}
