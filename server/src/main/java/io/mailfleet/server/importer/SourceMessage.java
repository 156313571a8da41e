package io.mailfleet.server.importer;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Set;

/**
 * One message found in an import source: the folder it goes to (stored name), where it came from
 * (for the report), its internal date and IMAP flags, the UID it had in the source (0 when none is
 * to be kept), its modseq in the source (0 when none is known or to be kept), and a way to read its
 * bytes (possibly twice).
 */
public record SourceMessage(String folder, String origin, Instant internalDate, Set<String> flags, long uid,
                            long modseq, Bytes bytes) {

    public SourceMessage {
        flags = Set.copyOf(flags);
    }

    /** A message whose source modseq is not known. */
    public SourceMessage(String folder, String origin, Instant internalDate, Set<String> flags, long uid,
                         Bytes bytes) {
        this(folder, origin, internalDate, flags, uid, 0, bytes);
    }

    /** A message whose source UID is not kept. */
    public SourceMessage(String folder, String origin, Instant internalDate, Set<String> flags, Bytes bytes) {
        this(folder, origin, internalDate, flags, 0, 0, bytes);
    }

    /** The message bytes as they are to be stored; each call reads them again from the source. */
    @FunctionalInterface
    public interface Bytes {
        void copyTo(OutputStream out) throws IOException;
    }
}
