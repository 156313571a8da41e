package io.mailfleet.server.spam;

import io.mailfleet.cluster.mailbox.ClusterMailboxes;
import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.core.service.SpamLearner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Trains a spam filter from an existing folder ({@code ./mailfleet spam learn}, the management API):
 * every message in it as spam or ham, one after the other. Messages expunged meanwhile (flagged
 * \Deleted, or whose stored bytes are gone) are skipped and counted.
 */
public final class BulkTraining {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.spam.learn");

    /**
     * What a training run did; {@code into} is the filter taught. {@code learned} counts the messages the
     * filter learned, {@code relearned} those of them it had learned as the other kind (that learning
     * undone), {@code alreadyLearned} those it had learned as this kind and skipped, {@code skipped} those
     * already expunged.
     */
    public record Result(String account, String folder, boolean spam, int learned, int relearned,
                         int alreadyLearned, int skipped, String into) {
    }

    /** The folder does not exist. */
    public static final class NoSuchFolder extends RuntimeException {
        NoSuchFolder(String account, String folder) {
            super("no folder '" + folder + "' for " + account);
        }
    }

    private final ClusterMailboxes mailboxes;
    private final SpamLearner learner;

    public BulkTraining(ClusterMailboxes mailboxes, SpamLearner learner) {
        this.mailboxes = mailboxes;
        this.learner = learner;
    }

    /** Whether a filter learns at all (Rspamd or the built-in classifier is on). */
    public boolean available() {
        return learner != null;
    }

    /** Teaches every message of {@code folder} of {@code account} as spam or ham. */
    public CompletionStage<Result> train(String account, String folder, boolean spam) {
        return mailboxes.status(account).thenCompose(status -> {
            if (status.folders().stream().noneMatch(f -> f.name().equals(folder))) {
                throw new NoSuchFolder(account, folder);
            }
            return mailboxes.messages(account, folder);
        }).thenCompose(messages -> run(account, folder, spam, messages));
    }

    private CompletionStage<Result> run(String account, String folder, boolean spam, List<MessageMeta> messages) {
        LearnTally[] learned = {LearnTally.NONE};
        int[] skipped = new int[1];
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (MessageMeta m : messages) {
            if (m.flags().contains("\\Deleted")) {
                skipped[0]++;
                continue;
            }
            chain = chain.thenCompose(v -> learner.learn(account, m.blob(), spam).handle((ok, err) -> {
                if (err == null) {
                    learned[0] = learned[0].plus(ok);
                    return null;
                }
                if (gone(err)) {
                    skipped[0]++; // expunged and collected between the listing and the read
                    return null;
                }
                throw err instanceof CompletionException c ? c : new CompletionException(err);
            }));
        }
        return chain.thenApply(v -> {
            LearnTally t = learned[0];
            LOG.info("trained account={} folder={} as={} learned={} relearned={} already-learned={} skipped={} into={}",
                    account, folder, spam ? "spam" : "ham", t.learned(), t.relearned(), t.alreadyLearned(), skipped[0],
                    learner.name());
            return new Result(account, folder, spam, t.learned(), t.relearned(), t.alreadyLearned(), skipped[0],
                    learner.name());
        });
    }

    private static boolean gone(Throwable err) {
        for (Throwable t = err; t != null; t = t.getCause()) {
            if (t instanceof NoSuchFileException || t instanceof FileNotFoundException
                    || t instanceof UncheckedIOException u && u.getCause() instanceof NoSuchFileException) {
                return true;
            }
        }
        return false;
    }
}
