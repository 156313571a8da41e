package io.mailfleet.core.mailbox;

import io.mailfleet.core.blob.BlobRef;

import java.time.Instant;
import java.util.Set;

/** One message of a MULTIAPPEND: its stored bytes, internal date and flags. */
public record AppendRequest(BlobRef blob, Instant internalDate, Set<String> flags) {
    public AppendRequest {
        flags = Set.copyOf(flags);
    }
}
