package io.mailfleet.protocols.smtp.dnsbl;

import io.mailfleet.core.dnsbl.DnsblEvaluator;
import io.mailfleet.core.dnsbl.DnsblVerdict;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.ClientListing;
import io.mailfleet.protocols.smtp.check.ConnectAttempt;
import io.mailfleet.protocols.smtp.check.MxOnly;
import io.mailfleet.protocols.smtp.check.RefusalCounter;
import io.mailfleet.protocols.smtp.check.SmtpCheck;
import io.mailfleet.protocols.smtp.postscreen.PassCache;
import io.mailfleet.protocols.smtp.postscreen.PostscreenTest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Postscreen's DNSBL test at connect on port 25: the client is scored against the weighted lists (all
 * asked at once through the node's resolver); at the threshold it gets what the action says:
 * {@code drop} closes with {@code 521 5.7.1 Service unavailable; client [ip] blocked using <list>},
 * {@code enforce} lets it talk and refuses every RCPT with {@code 550 5.7.1} and the same text,
 * {@code ignore} only logs. The score travels with the session either way (greylisting does not
 * auto-whitelist a listed client). A client no block list weighs against is remembered in the pass cache
 * (cluster-wide) and is not looked up again for the pass TTL. Trusted networks and authenticated
 * clients are never looked up.
 */
public final class DnsblCheck implements SmtpCheck<ConnectAttempt>, MxOnly {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.smtp.postscreen");

    private final DnsblEvaluator evaluator;
    private final DnsblSettings settings;
    private final PassCache passes;
    private final List<Cidr> trusted;
    private final RefusalCounter refusals;

    public DnsblCheck(DnsblEvaluator evaluator, DnsblSettings settings, PassCache passes, List<Cidr> trusted,
                      RefusalCounter refusals) {
        this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.passes = Objects.requireNonNull(passes, "passes");
        this.trusted = List.copyOf(trusted);
        this.refusals = Objects.requireNonNull(refusals, "refusals");
    }

    @Override
    public CompletionStage<CheckResult> check(ConnectAttempt a) {
        InetAddress ip = a.client().remoteAddress();
        if (ip == null || a.client().login() != null || trusted.stream().anyMatch(c -> c.contains(ip))) {
            return CompletableFuture.completedFuture(CheckResult.ACCEPT);
        }
        if (passes.passed(ip, PostscreenTest.DNSBL)) {
            LOG.debug("PASS OLD [{}] dnsbl", a.client().remoteIp());
            return CompletableFuture.completedFuture(CheckResult.ACCEPT);
        }
        return evaluator.evaluate(ip).thenApply(v -> decide(a, ip, v));
    }

    /**
     * Starts the look-ups of a client that is not trusted and has no pass, without waiting: the pregreet
     * test calls it when the client's greet wait begins, so the resolver holds the answers (or the
     * questions in flight) when {@link #check} runs after the wait, as postscreen runs both at once.
     */
    public void prefetch(InetAddress ip) {
        if (ip != null && trusted.stream().noneMatch(c -> c.contains(ip)) && !passes.passed(ip, PostscreenTest.DNSBL)) {
            evaluator.evaluate(ip);
        }
    }

    private CheckResult decide(ConnectAttempt a, InetAddress ip, DnsblVerdict v) {
        ClientListing listing = new ClientListing(v.score(), v.listedBy());
        if (!v.blocked(settings.threshold())) {
            if (v.score() <= 0) {
                passes.remember(ip, PostscreenTest.DNSBL, settings.passTtl());
            }
            if (v.hits().isEmpty()) {
                LOG.debug("PASS NEW [{}] dnsbl: listed nowhere", a.client().remoteIp());
                return CheckResult.ACCEPT;
            }
            LOG.info("DNSBL rank {} for [{}] under the threshold {}: {}", v.score(), a.client().remoteIp(),
                    settings.threshold(), v.hits());
            return new CheckResult.Note("", null, listing);
        }
        String list = v.listedBy() != null ? v.listedBy() : v.hits().get(0).split("[=*]")[0];
        String text = "Service unavailable; client [" + a.client().remoteIp() + "] blocked using " + list;
        String reason = "blocked using " + list + " (DNSBL rank " + v.score() + ")";
        LOG.info("DNSBL rank {} for [{}]: {} (action {})", v.score(), a.client().remoteIp(), v.hits(),
                settings.action().name().toLowerCase(Locale.ROOT));
        return switch (settings.action()) {
            case DROP -> {
                refusals.refused("dnsbl");
                yield CheckResult.refuse(new SmtpReply(521, "5.7.1", text), reason);
            }
            case ENFORCE -> {
                refusals.refused("dnsbl");
                yield new CheckResult.Note("", new CheckResult.Refuse(new SmtpReply(550, "5.7.1", text), reason), listing);
            }
            case IGNORE -> new CheckResult.Note("", null, listing);
        };
    }
}
