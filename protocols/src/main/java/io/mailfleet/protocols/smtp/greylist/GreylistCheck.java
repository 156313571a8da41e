package io.mailfleet.protocols.smtp.greylist;

import io.mailfleet.core.auth.spf.SpfOutcome;
import io.mailfleet.core.auth.spf.SpfResult;
import io.mailfleet.core.greylist.Greylist;
import io.mailfleet.core.greylist.GreylistDecision;
import io.mailfleet.core.greylist.GreylistWhitelist;
import io.mailfleet.core.greylist.KnownGoodSenders;
import io.mailfleet.core.greylist.Triplet;
import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.RcptAttempt;
import io.mailfleet.protocols.smtp.check.SmtpCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The RCPT-stage check of port 25 (Postgrey's policy): a new triplet is deferred with
 * {@code 451 4.7.1 <POSTGREY_TEXT>}; clients that may relay (trusted networks, authenticated) and the
 * whitelisted clients and recipients are never greylisted. A suspect client (the connect-stage DNSBL
 * test found it listed, or the sender failed SPF at MAIL) is never auto-whitelisted. A triplet of a
 * known-good sender domain that would be deferred is accepted provisionally: {@link GreylistDataCheck}
 * decides at the end of data on the message's DKIM signatures.
 */
public final class GreylistCheck implements SmtpCheck<RcptAttempt> {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.greylist");

    private final Greylist greylist;
    private final GreylistWhitelist whitelist;
    private final KnownGoodSenders knownGood;
    private final SmtpReply deferral;

    public GreylistCheck(Greylist greylist, GreylistWhitelist whitelist, String text) {
        this(greylist, whitelist, KnownGoodSenders.NONE, text);
    }

    /** @param knownGood sender domains whose DKIM-passing mail skips greylisting */
    public GreylistCheck(Greylist greylist, GreylistWhitelist whitelist, KnownGoodSenders knownGood, String text) {
        this.greylist = Objects.requireNonNull(greylist, "greylist");
        this.whitelist = Objects.requireNonNull(whitelist, "whitelist");
        this.knownGood = Objects.requireNonNull(knownGood, "knownGood");
        this.deferral = deferral(text);
    }

    /** The greylisting reply: {@code 451 4.7.1 <text>}. */
    static SmtpReply deferral(String text) {
        return new SmtpReply(451, "4.7.1", text);
    }

    /** Whether the transaction's sender failed SPF (the MAIL FROM identity, or HELO for the null sender). */
    static boolean spfFailed(List<Object> facts) {
        return facts.stream().anyMatch(f -> f instanceof SpfOutcome o && o.result() == SpfResult.FAIL);
    }

    @Override
    public CompletionStage<CheckResult> check(RcptAttempt a) {
        if (a.relay() || a.client().login() != null || a.client().remoteAddress() == null) {
            return CompletableFuture.completedFuture(CheckResult.ACCEPT);
        }
        if (whitelist.client(a.client().remoteAddress()) || whitelist.recipient(a.recipient())) {
            LOG.debug("action=pass, reason=whitelist, client={}, sender={}, recipient={}", a.client().remoteIp(),
                    a.sender(), a.recipient());
            return CompletableFuture.completedFuture(CheckResult.ACCEPT);
        }
        Triplet t = Triplet.of(a.client().remoteAddress(), a.sender(), a.recipient());
        boolean listed = a.client().listing().listed();
        boolean spfFail = spfFailed(a.facts());
        boolean suspect = listed || spfFail;
        Optional<String> vouchable = knownGood.covering(a.sender());
        return greylist.decide(t, suspect, vouchable.isPresent()).thenApply(d -> {
            String outcome = d.outcome().name().toLowerCase(Locale.ROOT);
            if (d.pass()) {
                if (d.outcome() != GreylistDecision.Outcome.KNOWN) {
                    LOG.info("action=pass, reason={}, client={} ({}), sender={}, recipient={}", outcome,
                            a.client().remoteIp(), t.clientNetwork(), t.sender(), t.recipient());
                }
                return CheckResult.ACCEPT;
            }
            String why = (listed ? " dnsbl-rank=" + a.client().listing().dnsblScore() : "") + (spfFail ? " spf=fail" : "");
            if (vouchable.isPresent()) {
                LOG.info("action=provisional, reason={}, client={} ({}){}, sender={}, recipient={}, known-good={}: "
                                + "decided at the end of data on its DKIM signature", outcome, a.client().remoteIp(),
                        t.clientNetwork(), why, t.sender(), t.recipient(), vouchable.get());
                return new CheckResult.Note("", null, List.of(new ProvisionalGreylist(t, suspect, vouchable.get())));
            }
            LOG.info("action=greylist, reason={}, client={} ({}){}, sender={}, recipient={}, retry in {}s",
                    outcome, a.client().remoteIp(), t.clientNetwork(), why, t.sender(), t.recipient(),
                    d.retryAfterSeconds());
            return CheckResult.refuse(deferral, "greylisted (" + outcome + ")");
        });
    }
}
