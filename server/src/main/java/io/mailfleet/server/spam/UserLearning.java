package io.mailfleet.server.spam;

import io.mailfleet.core.mailbox.CopyResult;
import io.mailfleet.core.mailbox.FolderInfo;
import io.mailfleet.core.mailbox.MailboxService;
import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.core.service.SpamLearner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides what a user's move or flag teaches and teaches it: Junk is the folder with the \Junk
 * special use (or named Junk), Trash the one with \Trash. Everything runs on the futures' threads (an
 * actor ask's reply, the learner's own executor), never in the IMAP command's path; a failure is
 * logged with the account and folder, and the command it followed has completed already.
 */
public final class UserLearning {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.spam.learn");

    private final MailboxService mailboxes;
    private final SpamLearner learner;

    public UserLearning(MailboxService mailboxes, SpamLearner learner) {
        this.mailboxes = mailboxes;
        this.learner = learner;
    }

    /** After a COPY or MOVE from {@code from} to {@code to}; {@code result} names the copies in {@code to}. */
    void copied(String account, String from, String to, CopyResult result) {
        if (result.destinationUids().isEmpty()) {
            return;
        }
        mailboxes.folders(account).thenCompose(folders -> {
            boolean fromJunk = is(folders, from, "\\Junk");
            boolean toJunk = is(folders, to, "\\Junk");
            if (toJunk && !fromJunk) {
                return teach(account, to, result.destinationUids(), true);
            }
            if (fromJunk && !toJunk && !is(folders, to, "\\Trash")) {
                return teach(account, to, result.destinationUids(), false);
            }
            return CompletableFuture.completedFuture(LearnTally.NONE);
        }).whenComplete((n, err) -> {
            if (err != null) {
                LOG.warn("learning from a move of {} message(s) of {} from {} to {} failed: {}",
                        result.destinationUids().size(), account, from, to, err.toString());
            }
        });
    }

    /** After STORE +FLAGS $Junk (spam) or $NotJunk (ham) changed the flags of {@code uids}. */
    void flagged(String account, String folder, List<Long> uids, boolean spam) {
        if (uids.isEmpty()) {
            return;
        }
        teach(account, folder, uids, spam).whenComplete((n, err) -> {
            if (err != null) {
                LOG.warn("learning from {} flagged {} in {} of {} failed: {}", uids.size(), spam ? "$Junk" : "$NotJunk",
                        folder, account, err.toString());
            }
        });
    }

    /**
     * Teaches the messages of {@code folder} with {@code uids}; completes with what the filter did with
     * them. Messages expunged meanwhile are skipped.
     */
    CompletionStage<LearnTally> teach(String account, String folder, List<Long> uids, boolean spam) {
        Set<Long> wanted = new HashSet<>(uids);
        return mailboxes.select(account, folder, false).thenCompose(snapshot -> {
            List<MessageView> found = snapshot.messages().stream().filter(m -> wanted.contains(m.uid())).toList();
            return learnAll(learner, account, found, spam).thenApply(n -> {
                LOG.info("learned account={} folder={} as={} messages={} relearned={} already-learned={} into={}",
                        account, folder, spam ? "spam" : "ham", n.learned(), n.relearned(), n.alreadyLearned(),
                        learner.name());
                return n;
            });
        });
    }

    /** Learns the messages one after the other (a bulk training does not flood the learner); completes with the tally. */
    static CompletionStage<LearnTally> learnAll(SpamLearner learner, String account, List<MessageView> messages,
                                                boolean spam) {
        CompletionStage<LearnTally> chain = CompletableFuture.completedFuture(LearnTally.NONE);
        for (MessageView m : messages) {
            chain = chain.thenCompose(n -> learner.learn(account, m.blob(), spam).thenApply(n::plus));
        }
        return chain;
    }

    private static boolean is(List<FolderInfo> folders, String name, String specialUse) {
        for (FolderInfo f : folders) {
            if (f.name().equals(name) && f.specialUse() != null
                    && f.specialUse().toLowerCase(java.util.Locale.ROOT).contains(specialUse.toLowerCase(java.util.Locale.ROOT))) {
                return true;
            }
        }
        return specialUse.equals("\\Junk") && name.equalsIgnoreCase("Junk")
                || specialUse.equals("\\Trash") && name.equalsIgnoreCase("Trash");
    }
}
