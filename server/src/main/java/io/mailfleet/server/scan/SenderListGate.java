package io.mailfleet.server.scan;

import io.mailfleet.core.service.SenderListStore;
import io.mailfleet.core.spam.SenderLists;
import io.mailfleet.core.spam.SenderLists.Listed;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.DataCheck;
import io.mailfleet.protocols.smtp.check.MessageAttempt;
import io.mailfleet.protocols.smtp.check.MessageCheck;
import io.mailfleet.protocols.smtp.check.MessageStart;
import io.mailfleet.protocols.smtp.check.MxOnly;
import io.mailfleet.protocols.smtp.check.SmtpCheck;
import io.mailfleet.protocols.smtp.check.SmtpChecks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The recipients' sender allow and block lists in front of the spam scanners (built-in scorer, spamd,
 * Rspamd; never ClamAV): looked up once per message at the end of data, before any scanner is asked.
 * A sender every reached account allows skips spam scoring and spam refusal, as SpamAssassin's
 * {@code welcomelist_from}; one every reached account blocks is spam over {@code SA_KILL}, as
 * {@code blocklist_from} (score 100): filed in Junk, or refused with {@code 554 5.7.1} when
 * {@code SPAMASSASSIN_SPAM_TO_INBOX=0}. When the accounts disagree the scanners decide as usual: one
 * transaction gets one SMTP answer, and no account's list may speak for another's mail.
 */
public class SenderListGate implements DataCheck {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.scan");

    /** SpamAssassin's score for {@code USER_IN_BLOCKLIST}. */
    static final double BLOCK_SCORE = 100;

    private final List<DataCheck> spamChecks;
    private final SenderListStore store;
    private final SpamThresholds thresholds;

    SenderListGate(List<DataCheck> spamChecks, SenderListStore store, SpamThresholds thresholds) {
        this.spamChecks = List.copyOf(spamChecks);
        this.store = store;
        this.thresholds = thresholds;
    }

    /**
     * The lists in front of {@code spamChecks} (in their order); kept off the submission ports when every
     * one of them is, as they leave authenticated and trusted clients alone unless told otherwise.
     */
    public static DataCheck around(List<DataCheck> spamChecks, SenderListStore store, SpamThresholds thresholds) {
        boolean mxOnly = spamChecks.stream().allMatch(c -> c instanceof MxOnly);
        return mxOnly ? new MxOnlyGate(spamChecks, store, thresholds) : new SenderListGate(spamChecks, store, thresholds);
    }

    @Override
    public MessageCheck open(MessageStart start) {
        List<MessageCheck> opened = new ArrayList<>();
        for (DataCheck c : spamChecks) {
            MessageCheck m = c.open(start);
            if (m != null) {
                opened.add(m);
            }
        }
        // with no scanner concerned, block lists still apply to what a scanner would have seen (port 25)
        if (opened.isEmpty() && (start.relay() || start.localAccounts().isEmpty())) {
            return null;
        }
        return new Gated(start, opened);
    }

    /** What the lists of every account the message reaches agree on; NONE when they disagree or cannot be read. */
    private CompletionStage<Listed> listed(MessageStart start) {
        if (start.sender().isEmpty() || start.localAccounts().isEmpty()) {
            return CompletableFuture.completedFuture(Listed.NONE);
        }
        List<CompletableFuture<SenderLists>> asks = new ArrayList<>();
        for (String account : start.localAccounts()) {
            asks.add(store.lists(account).toCompletableFuture());
        }
        return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).handle((x, err) -> {
            if (err != null) {
                LOG.warn("scanner=lists session={} txn={} from=<{}> sender lists not readable, scanning as usual: {}",
                        start.client().sessionId(), start.transactionId(), start.sender(), err.toString());
                return Listed.NONE;
            }
            Listed agreed = null;
            for (CompletableFuture<SenderLists> a : asks) {
                Listed l = a.join().listed(start.sender());
                if (agreed != null && agreed != l) {
                    return Listed.NONE;
                }
                agreed = l;
            }
            return agreed;
        });
    }

    private final class Gated implements MessageCheck {
        private final MessageStart start;
        private final List<MessageCheck> opened;
        private final ForeignSpamFields foreign = new ForeignSpamFields();

        Gated(MessageStart start, List<MessageCheck> opened) {
            this.start = start;
            this.opened = opened;
        }

        @Override
        public void observe(ByteBuffer stored) {
            foreign.observe(stored.duplicate());
            for (MessageCheck m : opened) {
                m.observe(stored.duplicate());
            }
        }

        @Override
        public CompletionStage<CheckResult> decide(MessageAttempt attempt) {
            return listed(start).thenCompose(l -> switch (l) {
                case ALLOWED -> {
                    abandon();
                    log("sender on the allow list of " + start.localAccounts(), "accepted, spam scanning skipped");
                    yield CompletableFuture.completedFuture(covered(CheckResult.ACCEPT));
                }
                case BLOCKED -> {
                    abandon();
                    ScanVerdict v = thresholds.apply(Math.max(BLOCK_SCORE, thresholds.kill()),
                            List.of("USER_IN_BLOCKLIST=" + SpamThresholds.format(BLOCK_SCORE)));
                    log("sender on the block list of " + start.localAccounts() + ", " + v.verdict(),
                            v.result() instanceof CheckResult.Refuse r ? r.reply().line() : "accepted as spam");
                    // our X-Spam fields mark it, whether or not a scanner is on: the sender's go
                    yield CompletableFuture.completedFuture(v.result() instanceof CheckResult.Refuse r
                            ? new CheckResult.Refuse(r.reply(), "sender on the block list") : foreign.dropFrom(v.result()));
                }
                case NONE -> {
                    List<SmtpCheck<MessageAttempt>> steps = new ArrayList<>();
                    opened.forEach(m -> steps.add(m::decide));
                    yield SmtpChecks.inOrder(steps, attempt).thenApply(this::covered);
                }
            });
        }

        /**
         * {@code result} without the sender's spam fields when a spam scanner covers this message (judged,
         * allowed, over its size limit or failed open alike: any such field on it is not ours). With no
         * scanner on, they are kept: they may be an upstream filter's the operator relies on.
         */
        private CheckResult covered(CheckResult result) {
            return opened.isEmpty() ? result : foreign.dropFrom(result);
        }

        @Override
        public void abandon() {
            opened.forEach(MessageCheck::abandon);
        }

        private void log(String verdict, String action) {
            LOG.info("scanner=lists session={} txn={} from=<{}> to={} verdict=\"{}\" action=\"{}\"",
                    start.client().sessionId(), start.transactionId(), start.sender(), start.recipients(), verdict,
                    action);
        }
    }

    /** The same gate, off the submission ports. */
    private static final class MxOnlyGate extends SenderListGate implements MxOnly {
        MxOnlyGate(List<DataCheck> spamChecks, SenderListStore store, SpamThresholds thresholds) {
            super(spamChecks, store, thresholds);
        }
    }
}
