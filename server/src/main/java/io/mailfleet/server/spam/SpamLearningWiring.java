package io.mailfleet.server.spam;

import io.mailfleet.cluster.classifier.ClusterModelStore;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.mailbox.MailboxService;
import io.mailfleet.core.service.SpamLearner;
import io.mailfleet.core.spam.classifier.BayesClassifier;
import io.mailfleet.core.spam.classifier.SpamClassifier;
import io.mailfleet.server.config.ClassifierSettings;
import io.mailfleet.server.config.LoadedConfig;
import io.mailfleet.server.config.ScannerSettings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the classifier's models on this node when the built-in scorer uses them, and picks where users'
 * moves teach: Rspamd when it is on, else the built-in classifier, else nowhere (with a warning).
 */
public final class SpamLearningWiring implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpamLearningWiring.class);

    private final SpamClassifier classifier;
    private final SpamLearner learner;
    private final boolean fromImap;
    private final ExecutorService io;

    private SpamLearningWiring(SpamClassifier classifier, SpamLearner learner, boolean fromImap, ExecutorService io) {
        this.classifier = classifier;
        this.learner = learner;
        this.fromImap = fromImap;
        this.io = io;
    }

    /** Reads the settings and starts what they ask for on {@code system}. */
    public static SpamLearningWiring start(ActorSystem<?> system, LoadedConfig loaded, BlobStore blobs) {
        ScannerSettings scanners = ScannerSettings.of(loaded);
        ClassifierSettings s = ClassifierSettings.of(loaded);
        AtomicInteger n = new AtomicInteger();
        // blob reads and feature hashing for learning: off event loops and actor threads
        ExecutorService io = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "mailfleet-spam-learn-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        SpamClassifier classifier = null;
        if (scanners.builtinScorer() && s.bayes()) {
            classifier = new SpamClassifier(ClusterModelStore.start(system, s.learnCache()),
                    new BayesClassifier(s.minLearns()));
            LOG.info("Bayes classifier on (global and per-account models, min-learns={}, learn-cache={})",
                    s.minLearns(), s.learnCache());
        }
        SpamLearner learner = null;
        if (scanners.rspamd().enabled()) {
            ScannerSettings.Rspamd r = scanners.rspamd();
            learner = new RspamdSpamLearner(blobs, r.url(), r.password(), r.call().timeout(), io);
        } else if (classifier != null) {
            learner = new BuiltinSpamLearner(blobs, classifier, io);
        }
        if (s.learnFromImap()) {
            if (learner == null) {
                LOG.warn("RSPAMD_LEARN=1 (mailfleet.spam-learning.enabled) but neither Rspamd nor the built-in "
                        + "scorer's classifier is on: IMAP moves teach nothing");
            } else {
                LOG.info("learning from IMAP moves into and out of Junk into {}", learner.name());
            }
        }
        return new SpamLearningWiring(classifier, learner, s.learnFromImap() && learner != null, io);
    }

    /** The classifier for the built-in scorer, or null when it does not classify. */
    public SpamClassifier classifier() {
        return classifier;
    }

    /** Where bulk training goes, or null when no filter learns. */
    public SpamLearner learner() {
        return learner;
    }

    /** The mailbox store IMAP sessions use: learning from moves when asked, else {@code mailboxes} itself. */
    public MailboxService imapMailboxes(MailboxService mailboxes) {
        return fromImap ? new LearningMailboxService(mailboxes, new UserLearning(mailboxes, learner)) : mailboxes;
    }

    @Override
    public void close() {
        io.shutdownNow();
    }
}
