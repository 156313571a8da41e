package io.mailfleet.protocols.outbound;

import io.mailfleet.core.mtasts.CachedPolicy;
import io.mailfleet.core.mtasts.MtaStsMode;
import io.mailfleet.core.mtasts.MtaStsPolicy;
import io.mailfleet.core.tlsrpt.TlsReportStore;
import io.mailfleet.core.tlsrpt.TlsResultType;
import io.mailfleet.core.tlsrpt.TlsSessionOutcome;
import io.mailfleet.protocols.outbound.dane.DanePlan;
import io.mailfleet.protocols.outbound.dane.DaneResolver;
import io.mailfleet.protocols.outbound.sts.MtaStsResolver;
import io.mailfleet.protocols.outbound.sts.StsLookup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Applies MTA-STS to direct MX delivery and feeds TLS-RPT: which MX hosts a policy allows, the TLS
 * level it demands, and the outcome of every session counted for the recipient domain's report.
 * A {@code postfix-tls-policy.cf} entry for the destination wins over MTA-STS (as Postfix's policy
 * table wins over an MTA-STS policy server); relayed mail has no MTA-STS (the relay is not an MX).
 */
public final class TransportSecurity {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.mta-sts");

    private final MtaStsResolver sts;
    private final TlsReportStore reports;
    private final Clock clock;
    private final DaneResolver dane;

    /**
     * @param sts     the MTA-STS lookup, or null when MTA-STS is off
     * @param reports where session outcomes are counted ({@link TlsReportStore#none()} when TLS-RPT is off)
     */
    public TransportSecurity(MtaStsResolver sts, TlsReportStore reports, Clock clock) {
        this(sts, reports, clock, null);
    }

    private TransportSecurity(MtaStsResolver sts, TlsReportStore reports, Clock clock, DaneResolver dane) {
        this.sts = sts;
        this.reports = reports;
        this.clock = clock;
        this.dane = dane;
    }

    /** The same with DANE look-ups for the {@code dane} and {@code dane-only} levels (without: DNSSEC is off, "insecure"). */
    public TransportSecurity withDane(DaneResolver resolver) {
        return new TransportSecurity(sts, reports, clock, resolver);
    }

    /**
     * The DANE look-ups of a route at the {@code dane}/{@code dane-only} levels; null at every other level.
     * A relay named as {@code [host]} has no MX look-up, only the host's own records.
     */
    CompletionStage<DanePlan> dane(Route route, List<TargetHost> hosts) {
        TlsPolicy level = route.tlsPolicy();
        if (level != TlsPolicy.DANE && level != TlsPolicy.DANE_ONLY) {
            return CompletableFuture.completedFuture(null);
        }
        if (dane == null) {
            return CompletableFuture.completedFuture(new DanePlan.Insecure("DNSSEC validation is off"));
        }
        NextHop hop = route.nextHop();
        return dane.plan(hop.mxLookup() ? hop.host() : null, hosts.stream().map(TargetHost::host).toList(),
                hosts.get(0).port());
    }

    /** Counts a DANE delivery (TLS-RPT policy type {@code tlsa}) or a DANE deferral for the domain's report. */
    void reportDane(Route route, List<String> tlsa, TlsResultType deferral, String detail, List<TlsAttempt> attempts) {
        if (route.relayed()) {
            return;
        }
        String domain = route.nextHop().host();
        long now = clock.millis();
        String type = tlsa.isEmpty() ? TlsSessionOutcome.NO_POLICY : TlsSessionOutcome.TLSA;
        if (deferral != null) {
            reports.record(new TlsSessionOutcome(domain, now, type, tlsa, List.of(), deferral.text(), "", "", detail));
        }
        for (TlsAttempt a : attempts) {
            reports.record(new TlsSessionOutcome(domain, now, type, tlsa, List.of(),
                    a.success() ? "" : a.failure().text(), a.host(), a.ip(), a.success() ? "" : a.detail()));
        }
    }

    /** Neither MTA-STS nor TLS-RPT. */
    public static TransportSecurity off() {
        return new TransportSecurity(null, TlsReportStore.none(), Clock.systemUTC());
    }

    /**
     * The MTA-STS policy of the route's recipient domain, or none when MTA-STS does not apply to the
     * route: relayed, or its nexthop listed in the policy file ({@code tlsListed}).
     */
    CompletionStage<StsLookup> lookup(Route route, boolean tlsListed) {
        if (sts == null || route.relayed() || tlsListed) {
            return CompletableFuture.completedFuture(StsLookup.NONE);
        }
        return sts.lookup(route.nextHop().host());
    }

    /** How one delivery runs under the policy. */
    sealed interface Plan {
        /** Deliver to {@code hosts} at this level; {@code skipped} were left out by the policy. */
        record Go(List<TargetHost> hosts, TlsPolicy level, List<String> match, StsDirective directive,
                  List<TargetHost> skipped) implements Plan {
        }

        /** No host may be used: defer with this reason. */
        record Defer(String reason, List<TargetHost> skipped) implements Plan {
        }
    }

    /** Filters and raises per the policy; without an active policy the route's level and all hosts stand. */
    Plan plan(Route route, StsLookup lookup, List<TargetHost> hosts) {
        if (lookup.policy().isEmpty() || lookup.mode() == MtaStsMode.NONE) {
            return new Plan.Go(hosts, route.tlsPolicy(), route.tlsMatch(), null, List.of());
        }
        CachedPolicy cached = lookup.policy().get();
        MtaStsPolicy p = cached.policy();
        StsDirective directive = new StsDirective(p.mode(), cached.id());
        List<TargetHost> allowed = new ArrayList<>();
        List<TargetHost> skipped = new ArrayList<>();
        for (TargetHost h : hosts) {
            (p.allowsMx(h.host()) ? allowed : skipped).add(h);
        }
        String domain = route.nextHop().host();
        if (p.mode() == MtaStsMode.TESTING) {
            if (!skipped.isEmpty()) {
                LOG.info("MTA-STS testing policy of {} (id={}) does not list MX {}; delivering anyway", domain,
                        cached.id(), skipped.stream().map(TargetHost::host).toList());
            }
            return new Plan.Go(hosts, route.tlsPolicy(), route.tlsMatch(), directive, skipped);
        }
        if (!skipped.isEmpty()) {
            LOG.warn("MTA-STS policy of {} (id={}, enforce) skips MX {} (policy mx: {})", domain, cached.id(),
                    skipped.stream().map(TargetHost::host).toList(), p.mx());
        }
        if (allowed.isEmpty()) {
            return new Plan.Defer("MTA-STS policy of " + domain + " (mode enforce, id " + cached.id()
                    + ") allows none of its MX hosts " + hosts.stream().map(TargetHost::host).toList()
                    + " (policy mx: " + String.join(", ", p.mx()) + ")", skipped);
        }
        // enforce: TLS with a certificate valid for the MX name (RFC 8461 §4.2); a stronger configured level stays.
        if (route.tlsPolicy() == TlsPolicy.SECURE) {
            return new Plan.Go(allowed, TlsPolicy.SECURE, route.tlsMatch(), directive, skipped);
        }
        return new Plan.Go(allowed, TlsPolicy.VERIFY, List.of("hostname"), directive, skipped);
    }

    /**
     * RFC 8689 §5 {@code TLS-Required: No} under an {@code enforce} policy: the policy is applied as
     * {@code testing} (every MX host, the configured level, certificate failures only reported).
     */
    Plan planIgnoringPolicy(Route route, StsLookup lookup, List<TargetHost> hosts) {
        CachedPolicy cached = lookup.policy().orElseThrow();
        List<TargetHost> skipped = hosts.stream().filter(h -> !cached.policy().allowsMx(h.host())).toList();
        LOG.info("MTA-STS policy of {} (id={}, {}) not enforced: the message has TLS-Required: No (RFC 8689);"
                + " delivering at level {} as under testing", route.nextHop().host(), cached.id(),
                cached.policy().mode().text(), route.tlsPolicy().configName());
        return new Plan.Go(hosts, route.tlsPolicy(), route.tlsMatch(), new StsDirective(MtaStsMode.TESTING, cached.id()),
                skipped);
    }

    /** Counts the delivery's outcomes for the recipient domain's TLS report. */
    void report(Route route, StsLookup lookup, List<TargetHost> skipped, List<TlsAttempt> attempts) {
        if (route.relayed()) {
            return;
        }
        String domain = route.nextHop().host();
        long now = clock.millis();
        boolean sts = lookup.policy().isPresent() && lookup.mode() != MtaStsMode.NONE;
        String type = sts ? TlsSessionOutcome.STS : TlsSessionOutcome.NO_POLICY;
        List<String> strings = sts ? lookup.policy().get().policy().policyStrings() : List.of();
        List<String> mx = sts ? lookup.policy().get().policy().mx() : List.of();
        lookup.failure().ifPresent(f -> reports.record(new TlsSessionOutcome(domain, now, TlsSessionOutcome.STS,
                strings, mx, f.type().text(), "", "", f.getMessage())));
        for (TargetHost h : skipped) {
            reports.record(new TlsSessionOutcome(domain, now, type, strings, mx,
                    TlsResultType.VALIDATION_FAILURE.text(), h.host(), h.addresses().get(0).getHostAddress(),
                    "mx-not-in-policy"));
        }
        for (TlsAttempt a : attempts) {
            reports.record(new TlsSessionOutcome(domain, now, type, strings, mx,
                    a.success() ? "" : a.failure().text(), a.host(), a.ip(), a.success() ? "" : a.detail()));
        }
    }
}
