package io.mailfleet.server.importer;

/** Receives what a source reader finds, in source order, on the reader's thread. */
public interface ImportSink {

    /** A message to import; problems with its bytes are found (and reported) by the sink. */
    void message(SourceMessage message);

    /** Something in the source that is not imported, with the reason an operator can act on. */
    void skipped(String origin, String reason);

    /**
     * The messages of {@code folder} that follow come with the UIDs they had under {@code uidValidity}
     * in the source (Dovecot's {@code dovecot-uidlist}), in UID order.
     */
    default void folderUids(String folder, long uidValidity) {
    }

    /**
     * The source's HIGHESTMODSEQ of {@code folder} (from Dovecot's index, or a fallback above anything
     * it could have been), after {@link #folderUids} and before the folder's messages, which may name
     * their source modseq; {@code summary} says where it came from, for the import summary, and
     * {@code problem} (or null) what was wrong with index files that exist.
     */
    default void folderModseq(String folder, long highestModseq, String summary, String problem) {
    }

    /** The source's UIDNEXT of {@code folder}: after its messages with UIDs, before those without. */
    default void folderUidNext(String folder, long uidNext) {
    }

    /** Something an operator should know that did not stop a message from being imported. */
    default void note(String origin, String text) {
    }
}
