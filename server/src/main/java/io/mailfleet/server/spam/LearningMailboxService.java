package io.mailfleet.server.spam;

import io.mailfleet.core.mailbox.AppendRequest;
import io.mailfleet.core.mailbox.AppendResult;
import io.mailfleet.core.mailbox.CopyResult;
import io.mailfleet.core.mailbox.ExpungeResult;
import io.mailfleet.core.mailbox.FlagOperation;
import io.mailfleet.core.mailbox.FlagUpdate;
import io.mailfleet.core.mailbox.FolderChanges;
import io.mailfleet.core.mailbox.FolderInfo;
import io.mailfleet.core.mailbox.FolderSnapshot;
import io.mailfleet.core.mailbox.MailboxListener;
import io.mailfleet.core.mailbox.MailboxService;
import io.mailfleet.core.mailbox.StoreResult;
import io.mailfleet.core.mailbox.Usage;
import io.mailfleet.core.blob.BlobRef;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The mailbox store as IMAP sees it, learning from what users do (docker-mailserver's
 * {@code RSPAMD_LEARN}): a COPY or MOVE into the \Junk folder learns spam, one out of Junk into any
 * folder but \Trash learns ham, STORE +FLAGS $Junk / $NotJunk learn spam / ham for the messages whose
 * flags changed. The command completes as it would without learning; learning runs after it, on
 * other threads, and its failures are only logged ({@link UserLearning}).
 */
public final class LearningMailboxService implements MailboxService {

    private final MailboxService mailboxes;
    private final UserLearning learning;

    public LearningMailboxService(MailboxService mailboxes, UserLearning learning) {
        this.mailboxes = mailboxes;
        this.learning = learning;
    }

    @Override
    public CompletionStage<CopyResult> copy(String account, String from, Collection<Long> uids, String to,
                                            boolean move) {
        return mailboxes.copy(account, from, uids, to, move).whenComplete((r, err) -> {
            if (err == null) {
                learning.copied(account, from, to, r);
            }
        });
    }

    @Override
    public CompletionStage<StoreResult> store(String account, String folder, Collection<Long> uids, FlagOperation op,
                                              Set<String> flags, long unchangedSince) {
        return mailboxes.store(account, folder, uids, op, flags, unchangedSince).whenComplete((r, err) -> {
            if (err == null && op != FlagOperation.REMOVE) {
                boolean junk = flags.stream().anyMatch(f -> f.equalsIgnoreCase("$Junk"));
                boolean notJunk = flags.stream().anyMatch(f -> f.equalsIgnoreCase("$NotJunk"));
                if (junk != notJunk) {
                    List<Long> changed = r.updated().stream().map(FlagUpdate::uid).toList();
                    learning.flagged(account, folder, changed, junk);
                }
            }
        });
    }

    @Override
    public CompletionStage<List<FolderInfo>> folders(String account) {
        return mailboxes.folders(account);
    }

    @Override
    public CompletionStage<Void> create(String account, List<String> names, String specialUse) {
        return mailboxes.create(account, names, specialUse);
    }

    @Override
    public CompletionStage<Void> delete(String account, String name, char delimiter) {
        return mailboxes.delete(account, name, delimiter);
    }

    @Override
    public CompletionStage<Void> rename(String account, String from, String to, char delimiter) {
        return mailboxes.rename(account, from, to, delimiter);
    }

    @Override
    public CompletionStage<Void> subscribe(String account, String name, boolean subscribed) {
        return mailboxes.subscribe(account, name, subscribed);
    }

    @Override
    public CompletionStage<FolderSnapshot> select(String account, String folder, boolean claimRecent) {
        return mailboxes.select(account, folder, claimRecent);
    }

    @Override
    public CompletionStage<FolderChanges> changesSince(String account, String folder, long sinceModseq,
                                                       boolean claimRecent) {
        return mailboxes.changesSince(account, folder, sinceModseq, claimRecent);
    }

    @Override
    public CompletionStage<Set<Long>> claimRecent(String account, String folder, Collection<Long> uids) {
        return mailboxes.claimRecent(account, folder, uids);
    }

    @Override
    public CompletionStage<AppendResult> append(String account, String folder, BlobRef blob, Instant internalDate,
                                                Set<String> flags) {
        return mailboxes.append(account, folder, blob, internalDate, flags);
    }

    @Override
    public CompletionStage<List<AppendResult>> appendAll(String account, String folder, List<AppendRequest> messages) {
        return mailboxes.appendAll(account, folder, messages);
    }

    @Override
    public CompletionStage<AppendResult> appendWithUid(String account, String folder, BlobRef blob, Instant internalDate,
                                                       Set<String> flags, long uid, long modseq) {
        return mailboxes.appendWithUid(account, folder, blob, internalDate, flags, uid, modseq);
    }

    @Override
    public CompletionStage<Long> importModseq(String account, String folder, long highestModseq) {
        return mailboxes.importModseq(account, folder, highestModseq);
    }

    @Override
    public CompletionStage<List<AppendResult>> importAppendAll(String account, String folder,
                                                              List<io.mailfleet.core.mailbox.ImportedMessage> messages) {
        return mailboxes.importAppendAll(account, folder, messages);
    }

    @Override
    public CompletionStage<io.mailfleet.core.mailbox.FolderUids> importUids(String account, String folder, long uidValidity,
                                                                            long uidNext) {
        return mailboxes.importUids(account, folder, uidValidity, uidNext);
    }

    @Override
    public CompletionStage<ExpungeResult> expunge(String account, String folder, Collection<Long> uids) {
        return mailboxes.expunge(account, folder, uids);
    }

    @Override
    public CompletionStage<Usage> usage(String account) {
        return mailboxes.usage(account);
    }

    @Override
    public CompletionStage<List<Long>> expungedSince(String account, String folder, long sinceModseq) {
        return mailboxes.expungedSince(account, folder, sinceModseq);
    }

    @Override
    public AutoCloseable watch(String account, MailboxListener listener) {
        return mailboxes.watch(account, listener);
    }
}
