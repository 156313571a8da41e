package io.mailfleet.server.scan;

import io.mailfleet.core.mime.MessageSummary;
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
import io.mailfleet.core.spam.classifier.MessageText;
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
 * (one pass, bounded: {@link ContentScan}), so it adds no read of the blob, then
 * scores the rules' symbols onto docker-mailserver's SpamAssassin thresholds. Trusted and
 * authenticated clients are not scored, as docker-mailserver's amavis leaves them alone. With the
 * classifier, the first octets of the message ({@link MessageHead}), with the structure of the message's one
 * parse ({@link MessageAttempt#parsed()}: never parsed again here), are turned into features off the
 * event loop and the learned models add {@code BAYES_SPAM} or {@code BAYES_HAM}; with the URL block
 * lists ({@link UrlDnsblRule}) the links in those octets are asked about at the same time, so the
 * message waits for the slower of the two, never for both in turn.
 */
public final class BuiltinScorerCheck implements DataCheck, MxOnly {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.scan");

    /** A model that does not answer in this time is left out of the score; the message is never held up by it. */
    private static final Duration CLASSIFY_TIMEOUT = Duration.ofSeconds(10);

    private final SpamThresholds thresholds;
    private final SpamClassifier classifier;
    private final UrlDnsblRule urls;

    public BuiltinScorerCheck(SpamThresholds thresholds) {
        this(thresholds, null);
    }

    /** With the statistical classifier (null: rules only), whose BAYES_* symbol joins the rules'. */
    public BuiltinScorerCheck(SpamThresholds thresholds, SpamClassifier classifier) {
        this(thresholds, classifier, null);
    }

    /** With the classifier and the URL block lists (each null when off), whose symbols join the rules'. */
    public BuiltinScorerCheck(SpamThresholds thresholds, SpamClassifier classifier, UrlDnsblRule urls) {
        this.thresholds = thresholds;
        this.classifier = classifier;
        this.urls = urls;
    }

    @Override
    public MessageCheck open(MessageStart start) {
        if (start.relay()) {
            return null;
        }
        ContentScan scan = new ContentScan();
        MessageHead head = classifier == null && urls == null ? null
                : new MessageHead(Math.max(classifier == null ? 0 : MessageText.MAX_BYTES,
                urls == null ? 0 : urls.maxScanBytes()));
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
                // copied off the event loop; the classifier and the lists then read it at the same time,
                // both with the structure of the message's one parse (null: each parses the octets itself)
                MessageSummary parsed = attempt.parsed() == null ? null : attempt.parsed().summary();
                CompletableFuture<byte[]> bytes = CompletableFuture.supplyAsync(head::bytes, ScanThreads.executor());
                CompletableFuture<List<SpamSymbol>> links = urls == null ? CompletableFuture.completedFuture(List.of())
                        : bytes.thenCompose(b -> urls.symbols(b, parsed, start));
                return bytes.thenCompose(b -> bayes(b, parsed)).thenCombine(links, (bayes, linked) -> {
                    List<SpamSymbol> all = new ArrayList<>(rules);
                    all.addAll(bayes);
                    all.addAll(linked);
                    return score(all);
                });
            }

            private CompletableFuture<List<SpamSymbol>> bayes(byte[] bytes, MessageSummary parsed) {
                if (classifier == null) {
                    return CompletableFuture.completedFuture(List.of());
                }
                // one recipient: that account's own model may judge; several: the global model
                String account = start.recipients().size() == 1 ? start.recipients().get(0) : null;
                return CompletableFuture.supplyAsync(() -> parsed == null ? Features.of(bytes)
                                : Features.of(bytes, parsed), ScanThreads.executor())
                        .thenCompose(f -> classifier.classify(account, f))
                        .toCompletableFuture().orTimeout(CLASSIFY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .handle((bayes, err) -> {
                            if (err != null) {
                                LOG.warn("scanner=builtin session={} txn={} Bayes classifier unavailable, scored "
                                        + "without it: {}", start.client().sessionId(), start.transactionId(), err.toString());
                                return List.of();
                            }
                            return bayes.map(List::of).orElse(List.of());
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
