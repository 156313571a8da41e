package io.mailfleet.core.mailbox;

import io.mailfleet.core.blob.BlobRef;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The mailbox store as the IMAP (and POP3) sessions see it. Implemented by the cluster module on the
 * sharded mailbox entities. Failures complete the stage exceptionally with {@link MailboxException}.
 * Folder names are Unicode strings using the hierarchy delimiter the caller passes where it matters.
 */
public interface MailboxService {

    /** All folders of the account, creating the default special-use folders first if needed. */
    CompletionStage<List<FolderInfo>> folders(String account);

    /** Creates folders in order (parents first); names that already exist are skipped unless last. */
    CompletionStage<Void> create(String account, List<String> names, String specialUse);

    /** Deletes a folder without children; INBOX cannot be deleted. */
    CompletionStage<Void> delete(String account, String name, char delimiter);

    /** Renames a folder and its children; renaming INBOX moves its messages to a new folder. */
    CompletionStage<Void> rename(String account, String from, String to, char delimiter);

    CompletionStage<Void> subscribe(String account, String name, boolean subscribed);

    /**
     * Opens a folder: every message with metadata and summary. With {@code claimRecent} the messages
     * no session has seen yet are reported as recent to this caller only.
     */
    CompletionStage<FolderSnapshot> select(String account, String folder, boolean claimRecent);

    /**
     * Changes of a folder after {@code sinceModseq}. With {@code claimRecent} the messages no session
     * has been shown yet become \Recent for this caller only (RFC 3501 §2.3.2), atomically.
     */
    CompletionStage<FolderChanges> changesSince(String account, String folder, long sinceModseq, boolean claimRecent);

    /** Claims \Recent for new uids seen through a notification; answers the uids this caller owns. */
    CompletionStage<Set<Long>> claimRecent(String account, String folder, Collection<Long> uids);

    /** Appends a stored blob; the summary is computed here, once. */
    CompletionStage<AppendResult> append(String account, String folder, BlobRef blob, Instant internalDate,
                                         Set<String> flags);

    /**
     * Import: appends a stored blob with the UID it had in the mailbox it comes from, so clients that
     * cached it keep it. {@code uid} must be at least the folder's UIDNEXT (UIDs only grow); otherwise
     * the stage fails with {@link MailboxException} code {@code UIDTAKEN} and nothing changes.
     */
    default CompletionStage<AppendResult> appendWithUid(String account, String folder, BlobRef blob,
                                                        Instant internalDate, Set<String> flags, long uid) {
        return appendWithUid(account, folder, blob, internalDate, flags, uid, 0);
    }

    /**
     * Import: {@link #appendWithUid(String, String, BlobRef, Instant, Set, long)} keeping also the
     * message's modseq in the source ({@code modseq} &gt; 0), so the CONDSTORE state a client cached
     * still holds; 0 gives the mailbox's next modseq.
     */
    CompletionStage<AppendResult> appendWithUid(String account, String folder, BlobRef blob, Instant internalDate,
                                                Set<String> flags, long uid, long modseq);

    /**
     * Import: appends stored blobs to a folder in order, atomically and in one write. A message keeps
     * its source {@code uid} when that is above 0 and not below the folder's UIDNEXT at its turn (UIDs
     * only grow, as with {@link #appendWithUid}); the others get the next free uid. Answers each
     * message's uid, in order. A message that keeps its source uid keeps also its source modseq
     * ({@link ImportedMessage#modseq()} above 0, as with {@link #appendWithUid(String, String, BlobRef, Instant, Set, long, long)}).
     */
    CompletionStage<List<AppendResult>> importAppendAll(String account, String folder, List<ImportedMessage> messages);

    /**
     * Import: gives a folder without messages the source's {@code uidValidity} (0: keep the folder's;
     * a folder with messages keeps its own and answers {@code adopted=false}) and raises its UIDNEXT
     * to at least {@code uidNext} (0: leave it).
     */
    CompletionStage<FolderUids> importUids(String account, String folder, long uidValidity, long uidNext);

    /**
     * Import: raises a folder's HIGHESTMODSEQ, and the account's modseq counter, to at least the source
     * mailbox's {@code highestModseq}, so every later change is above what a client cached from the
     * source; answers the folder's HIGHESTMODSEQ.
     */
    CompletionStage<Long> importModseq(String account, String folder, long highestModseq);

    /**
     * Appends several stored blobs atomically (MULTIAPPEND, RFC 3502): either all of them get uids,
     * consecutive and in order, or none does.
     */
    CompletionStage<List<AppendResult>> appendAll(String account, String folder, List<AppendRequest> messages);

    /**
     * Changes flags; messages whose modseq is above {@code unchangedSince} (when it is not negative)
     * are left alone and reported as modified (RFC 7162).
     */
    CompletionStage<StoreResult> store(String account, String folder, Collection<Long> uids, FlagOperation op,
                                       Set<String> flags, long unchangedSince);

    /** Removes messages flagged \Deleted, limited to {@code uids} when not null. */
    CompletionStage<ExpungeResult> expunge(String account, String folder, Collection<Long> uids);

    /** Copies (or moves) messages to another folder, keeping flags and internal dates. */
    CompletionStage<CopyResult> copy(String account, String from, Collection<Long> uids, String to, boolean move);

    /** Bytes and messages stored for the account. */
    CompletionStage<Usage> usage(String account);

    /** UIDs expunged from a folder with a modseq above {@code sinceModseq} (QRESYNC). */
    CompletionStage<List<Long>> expungedSince(String account, String folder, long sinceModseq);

    /**
     * Delivers every change of the account (from any node) to {@code listener} until closed. Events
     * are notifications: a listener that needs exact state asks {@link #changesSince}. When events may
     * have been missed (the mailbox restarted elsewhere) a {@link MailboxEvent.Resync} is delivered.
     */
    AutoCloseable watch(String account, MailboxListener listener);
}
