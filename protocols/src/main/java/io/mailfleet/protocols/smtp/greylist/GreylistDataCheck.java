package io.mailfleet.protocols.smtp.greylist;

import io.mailfleet.core.dkim.DkimResult;
import io.mailfleet.core.dkim.DkimStream;
import io.mailfleet.core.dkim.DkimVerifier;
import io.mailfleet.core.greylist.Greylist;
import io.mailfleet.core.greylist.GreylistDecision;
import io.mailfleet.core.greylist.KnownGoodSenders;
import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.DataCheck;
import io.mailfleet.protocols.smtp.check.MessageAttempt;
import io.mailfleet.protocols.smtp.check.MessageCheck;
import io.mailfleet.protocols.smtp.check.MessageStart;
import io.mailfleet.protocols.smtp.check.MxOnly;
import io.mailfleet.protocols.smtp.check.RefusalCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The end of greylisting for a known-good sender: a message whose recipients were accepted provisionally
 * at RCPT ({@link ProvisionalGreylist}) passes when a DKIM signature of the sender's listed domain
 * verifies; otherwise its triplets are greylisted now, in the cluster-wide greylist, and the message
 * gets {@code 451 4.7.1 <text>} instead of the {@code 250} (its retry after the delay passes as any
 * other). Opened only for such messages; the signatures are verified as the bytes stream in.
 */
public final class GreylistDataCheck implements DataCheck, MxOnly {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.greylist");

    private final Greylist greylist;
    private final KnownGoodSenders knownGood;
    private final DkimVerifier verifier;
    private final SmtpReply deferral;
    private final RefusalCounter refusals;

    /** @param refusals counts a message greylisted here as a {@code greylist} refusal */
    public GreylistDataCheck(Greylist greylist, KnownGoodSenders knownGood, DkimVerifier verifier, String text,
                             RefusalCounter refusals) {
        this.greylist = Objects.requireNonNull(greylist, "greylist");
        this.knownGood = Objects.requireNonNull(knownGood, "knownGood");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.deferral = GreylistCheck.deferral(text);
        this.refusals = Objects.requireNonNull(refusals, "refusals");
    }

    @Override
    public MessageCheck open(MessageStart start) {
        List<ProvisionalGreylist> provisional = start.facts().stream()
                .filter(ProvisionalGreylist.class::isInstance).map(ProvisionalGreylist.class::cast).toList();
        if (provisional.isEmpty() || start.relay()) {
            return null;
        }
        return new Check(start, provisional, verifier.stream(DkimVerifier.DEFAULT_MAX_SIGNATURES,
                DkimVerifier.MAX_HEADER_BYTES));
    }

    private final class Check implements MessageCheck {
        private final MessageStart start;
        private final List<ProvisionalGreylist> provisional;
        private final DkimStream stream;

        Check(MessageStart start, List<ProvisionalGreylist> provisional, DkimStream stream) {
            this.start = start;
            this.provisional = provisional;
            this.stream = stream;
        }

        @Override
        public void observe(ByteBuffer stored) {
            stream.feed(stored);
        }

        @Override
        public CompletionStage<CheckResult> decide(MessageAttempt attempt) {
            return verifier.verify(stream.finish()).thenCompose(this::decide);
        }

        private CompletionStage<CheckResult> decide(List<DkimResult> dkim) {
            Optional<String> vouched = knownGood.vouching(start.sender(), dkim);
            if (vouched.isPresent()) {
                LOG.info("action=pass, reason=dkim_known_good, client={}, sender={}, recipients={}, d={}",
                        start.client().remoteIp(), start.sender(), recipients(), vouched.get());
                return CompletableFuture.completedFuture(CheckResult.ACCEPT);
            }
            // not vouched for: each provisional triplet is decided (and remembered) as at RCPT
            List<CompletableFuture<GreylistDecision>> decisions = new ArrayList<>();
            for (ProvisionalGreylist p : provisional) {
                decisions.add(greylist.decide(p.triplet(), p.suspect()).toCompletableFuture());
            }
            return CompletableFuture.allOf(decisions.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<String> deferred = new ArrayList<>();
                for (int i = 0; i < provisional.size(); i++) {
                    GreylistDecision d = decisions.get(i).join();
                    if (!d.pass()) {
                        ProvisionalGreylist p = provisional.get(i);
                        deferred.add(p.triplet().recipient());
                        LOG.info("action=greylist, reason={}, client={} ({}), sender={}, recipient={}, retry in {}s: "
                                        + "no passing DKIM signature of {} ({})",
                                d.outcome().name().toLowerCase(Locale.ROOT), start.client().remoteIp(),
                                p.triplet().clientNetwork(), p.triplet().sender(), p.triplet().recipient(),
                                d.retryAfterSeconds(), p.knownGood(), summary(dkim));
                    }
                }
                if (deferred.isEmpty()) {
                    return CheckResult.ACCEPT;
                }
                refusals.refused("greylist");
                return CheckResult.refuse(deferral, "greylisted at end of data (no passing DKIM signature of "
                        + provisional.get(0).knownGood() + ") for " + String.join(",", deferred));
            });
        }

        private String recipients() {
            return provisional.stream().map(p -> p.triplet().recipient()).toList().toString();
        }
    }

    private static String summary(List<DkimResult> dkim) {
        if (dkim.isEmpty()) {
            return "dkim=none";
        }
        StringBuilder b = new StringBuilder();
        for (DkimResult r : dkim) {
            b.append(b.length() == 0 ? "dkim=" : ",").append(r.status().keyword()).append(':')
                    .append(r.domain() == null ? "?" : r.domain());
        }
        return b.toString();
    }
}
