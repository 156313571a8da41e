package io.mailfleet.server.importer;

/** Receives what a source reader finds, in source order, on the reader's thread. */
public interface ImportSink {

    /**
     * A message to import; problems with its bytes are found (and reported) by the sink. Returns once what
     * it answers is durable: a reader may record a message {@link Outcome#settled() settled} as done.
     */
    Outcome message(SourceMessage message);

    /**
     * A message to import that may be stored later, with others (one fsync and one journal write for
     * many); for readers that record no progress of their own. Everything offered is stored, or reported
     * skipped, by the time the sink's run ends; a sink that does not batch takes it as {@link #message}.
     */
    default void offer(SourceMessage message) {
        message(message);
    }

    /** What became of one message handed to {@link #message}. */
    enum Outcome {
        /** Stored in its folder. */
        IMPORTED,
        /** Its bytes were in its folder already. */
        PRESENT,
        /** Refused for good (empty, not mail, over a size or header limit): another run would refuse it too. */
        REFUSED,
        /** Not imported this time (unreadable, over quota, refused by the mailbox): another run tries again. */
        FAILED;

        /** Whether a later run need not read the message again. */
        public boolean settled() {
            return this != FAILED;
        }
    }

    /**
     * {@code messages} of the source folder that goes to {@code folder} were settled by an earlier run and
     * are not read again (an IMAP import resuming by UID); they count as already there.
     */
    default void settledBefore(String folder, long messages) {
    }

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
