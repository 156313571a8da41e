package io.mailfleet.server.scan;

import io.mailfleet.core.spam.BuiltinRules;
import io.mailfleet.core.spam.ContentScan;
import io.mailfleet.core.spam.SpamSymbol;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.DataCheck;
import io.mailfleet.protocols.smtp.check.MessageAttempt;
import io.mailfleet.protocols.smtp.check.MessageCheck;
import io.mailfleet.protocols.smtp.check.MessageStart;
import io.mailfleet.protocols.smtp.check.MxOnly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mailfleet.core.spam.classifier.Features;
import io.mailfleet.core.spam.classifier.SpamClassifier;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The built-in scorer as an end-of-data check on port 25: it reads the message while DATA streams in
 * (one pass, bounded: {@link ContentScan}), so it adds no read of the blob and no external call, then
 * scores the rules' symbols onto docker-mailserver's SpamAssassin thresholds. Trusted and
 * authenticated clients are not scored, as docker-mailserver's amavis leaves them alone. With the
 * classifier, the first octets of the message ({@link MessageHead}) are turned into features off the
 * event loop and the learned models add {@code BAYES_SPAM} or {@code BAYES_HAM}.
 */
public final class BuiltinScorerCheck implements DataCheck, MxOnly {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.scan");

    /** A model that does not answer in this time is left out of the score; the message is never held up by it. */
    private static final Duration CLASSIFY_TIMEOUT = Duration.ofSeconds(10);

    private final SpamThresholds thresholds;
    private final SpamClassifier classifier;

    public BuiltinScorerCheck(SpamThresholds thresholds) {
        this(thresholds, null);
    }

    /** With the statistical classifier (null: rules only), whose BAYES_* symbol joins the rules'. */
    public BuiltinScorerCheck(SpamThresholds thresholds, SpamClassifier classifier) {
        this.thresholds = thresholds;
        this.classifier = classifier;
    }

    @Override
    public MessageCheck open(MessageStart start) {
        if (start.relay()) {
            return null;
        }
        ContentScan scan = new ContentScan();
        MessageHead head = classifier == null ? null : new MessageHead();
        return new MessageCheck() {
            @Override
            public void observe(ByteBuffer stored) {
                scan.feed(stored);
                if (head != null) {
                    head.feed(stored);
                }
            }

            @Override
            public CompletionStage<CheckResult> decide(MessageAttempt attempt) {
                List<SpamSymbol> rules = BuiltinRules.evaluate(scan, Instant.now());
                if (head == null) {
                    return CompletableFuture.completedFuture(score(rules));
                }
                // one recipient: that account's own model may judge; several: the global model
                String account = start.recipients().size() == 1 ? start.recipients().get(0) : null;
                return CompletableFuture.supplyAsync(() -> Features.of(head.bytes()), ScanThreads.executor())
                        .thenCompose(f -> classifier.classify(account, f))
                        .toCompletableFuture().orTimeout(CLASSIFY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .handle((bayes, err) -> {
                            if (err != null) {
                                LOG.warn("scanner=builtin session={} txn={} Bayes classifier unavailable, scored "
                                        + "without it: {}", start.client().sessionId(), start.transactionId(), err.toString());
                                return score(rules);
                            }
                            List<SpamSymbol> all = new ArrayList<>(rules);
                            bayes.ifPresent(all::add);
                            return score(all);
                        });
            }

            private CheckResult score(List<SpamSymbol> hits) {
                double score = BuiltinRules.score(hits);
                ScanVerdict v = thresholds.apply(score, hits.stream().map(SpamSymbol::shown).toList());
                LOG.info("scanner=builtin session={} txn={} from=<{}> to={} verdict=\"{} {}\" action=\"{}\"",
                        start.client().sessionId(), start.transactionId(), start.sender(), start.recipients(),
                        v.verdict(), hits.stream().map(SpamSymbol::shown).toList(),
                        v.result() instanceof CheckResult.Refuse r ? r.reply().line() : "accepted");
                return v.result();
            }
        };
    }
}
