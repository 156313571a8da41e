package io.mailfleet.protocols.smtp.greylist;

import io.mailfleet.core.greylist.Greylist;
import io.mailfleet.core.greylist.GreylistWhitelist;
import io.mailfleet.core.greylist.Triplet;
import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.RcptAttempt;
import io.mailfleet.protocols.smtp.check.SmtpCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The RCPT-stage check of port 25 (Postgrey's policy): a new triplet is deferred with
 * {@code 451 4.7.1 <POSTGREY_TEXT>}; clients that may relay (trusted networks, authenticated) and the
 * whitelisted clients and recipients are never greylisted. A client the connect-stage DNSBL test found
 * listed (a positive score under the threshold, or {@code POSTSCREEN_ACTION=ignore}) is never
 * auto-whitelisted.
 */
public final class GreylistCheck implements SmtpCheck<RcptAttempt> {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.greylist");

    private final Greylist greylist;
    private final GreylistWhitelist whitelist;
    private final SmtpReply deferral;

    public GreylistCheck(Greylist greylist, GreylistWhitelist whitelist, String text) {
        this.greylist = Objects.requireNonNull(greylist, "greylist");
        this.whitelist = Objects.requireNonNull(whitelist, "whitelist");
        this.deferral = new SmtpReply(451, "4.7.1", text);
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
        return greylist.decide(t, listed).thenApply(d -> {
            if (d.pass()) {
                if (d.outcome() != io.mailfleet.core.greylist.GreylistDecision.Outcome.KNOWN) {
                    LOG.info("action=pass, reason={}, client={} ({}), sender={}, recipient={}",
                            d.outcome().name().toLowerCase(java.util.Locale.ROOT), a.client().remoteIp(),
                            t.clientNetwork(), t.sender(), t.recipient());
                }
                return CheckResult.ACCEPT;
            }
            LOG.info("action=greylist, reason={}, client={} ({}){}, sender={}, recipient={}, retry in {}s",
                    d.outcome().name().toLowerCase(java.util.Locale.ROOT), a.client().remoteIp(), t.clientNetwork(),
                    listed ? " dnsbl-rank=" + a.client().listing().dnsblScore() : "", t.sender(), t.recipient(),
                    d.retryAfterSeconds());
            return CheckResult.refuse(deferral, "greylisted (" + d.outcome().name().toLowerCase(java.util.Locale.ROOT) + ")");
        });
    }
}
