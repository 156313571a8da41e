package io.mailfleet.cluster.mailbox;

import io.mailfleet.core.blob.BlobRef;

import java.time.Instant;
import java.util.Set;

/**
 * What a mailbox keeps about one message: IMAP identity (uid, modseq), its bytes in the blob store,
 * and the flags and internal date clients see.
 */
public record MessageMeta(long uid, BlobRef blob, Instant internalDate, Set<String> flags, long modseq,
                          String deliveryId) {
    public MessageMeta {
        flags = Set.copyOf(flags);
    }

    public long size() {
        return blob.size();
    }
}
