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

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The built-in scorer as an end-of-data check on port 25: it reads the message while DATA streams in
 * (one pass, bounded: {@link ContentScan}), so it adds no read of the blob and no external call, then
 * scores the rules' symbols onto docker-mailserver's SpamAssassin thresholds. Trusted and
 * authenticated clients are not scored, as docker-mailserver's amavis leaves them alone.
 */
public final class BuiltinScorerCheck implements DataCheck, MxOnly {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.scan");

    private final SpamThresholds thresholds;

    public BuiltinScorerCheck(SpamThresholds thresholds) {
        this.thresholds = thresholds;
    }

    @Override
    public MessageCheck open(MessageStart start) {
        if (start.relay()) {
            return null;
        }
        ContentScan scan = new ContentScan();
        return new MessageCheck() {
            @Override
            public void observe(ByteBuffer stored) {
                scan.feed(stored);
            }

            @Override
            public CompletionStage<CheckResult> decide(MessageAttempt attempt) {
                List<SpamSymbol> hits = BuiltinRules.evaluate(scan, Instant.now());
                double score = BuiltinRules.score(hits);
                ScanVerdict v = thresholds.apply(score, hits.stream().map(SpamSymbol::shown).toList());
                LOG.info("scanner=builtin session={} txn={} from=<{}> to={} verdict=\"{} {}\" action=\"{}\"",
                        start.client().sessionId(), start.transactionId(), start.sender(), start.recipients(),
                        v.verdict(), hits.stream().map(SpamSymbol::shown).toList(),
                        v.result() instanceof CheckResult.Refuse r ? r.reply().line() : "accepted");
                return CompletableFuture.completedFuture(v.result());
            }
        };
    }
}
