package io.mailfleet.core.mailbox;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.mime.MessageSummary;

import java.time.Instant;
import java.util.Set;

/**
 * One message of an import append: its stored bytes, internal date, flags, the UID it had in the
 * source (0 for none), its modseq in the source (0 for none: it takes the mailbox's next; kept only
 * with its UID) and its summary when the importer parsed it already (null: the service parses the blob).
 */
public record ImportedMessage(BlobRef blob, Instant internalDate, Set<String> flags, long uid, long modseq,
                              MessageSummary summary) {
    public ImportedMessage {
        flags = Set.copyOf(flags);
    }

    /** A message without a source modseq. */
    public ImportedMessage(BlobRef blob, Instant internalDate, Set<String> flags, long uid, MessageSummary summary) {
        this(blob, internalDate, flags, uid, 0, summary);
    }
}
