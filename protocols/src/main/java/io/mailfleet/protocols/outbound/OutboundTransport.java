package io.mailfleet.protocols.outbound;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.core.service.RemoteTransport;
import io.mailfleet.core.tlsrpt.TlsResultType;
import io.mailfleet.core.mtasts.MtaStsMode;
import io.mailfleet.protocols.outbound.sts.StsLookup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * {@link RemoteTransport} over the outbound client: groups the recipients of a message by route
 * (recipient domain MX, or a relay from {@link RelaySelector}), resolves each route with the
 * {@link MxResolver} and delivers the groups in parallel.
 */
public final class OutboundTransport implements RemoteTransport {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OutboundTransport.class);

    private final OutboundClient client;
    private final MxResolver resolver;
    private final Supplier<RelaySelector> relays;
    private final BlobStore blobs;
    private final String heloName;
    private final int mxPort;
    private final TransportSecurity security;

    /**
     * @param relays   the relay configuration as it is now (it depends on the local domains)
     * @param heloName the server hostname
     * @param mxPort   port of direct MX delivery: 25, other values only for tests
     */
    public OutboundTransport(OutboundClient client, MxResolver resolver, Supplier<RelaySelector> relays, BlobStore blobs,
                             String heloName, int mxPort) {
        this(client, resolver, relays, blobs, heloName, mxPort, TransportSecurity.off());
    }

    /** As above, with MTA-STS and TLS-RPT for direct MX delivery. */
    public OutboundTransport(OutboundClient client, MxResolver resolver, Supplier<RelaySelector> relays, BlobStore blobs,
                             String heloName, int mxPort, TransportSecurity security) {
        this.security = security;
        if (mxPort < 1 || mxPort > 65535) {
            throw new IllegalArgumentException("MX port " + mxPort + " is not between 1 and 65535");
        }
        this.client = client;
        this.resolver = resolver;
        this.relays = relays;
        this.blobs = blobs;
        this.heloName = heloName;
        this.mxPort = mxPort;
    }

    @Override
    public CompletionStage<List<RecipientOutcome>> send(Envelope envelope, List<EnvelopeRecipient> recipients,
                                                        BlobRef blob, byte[] prependHeaders) {
        return send(envelope, recipients, blob, prependHeaders, false);
    }

    @Override
    public CompletionStage<List<RecipientOutcome>> send(Envelope envelope, List<EnvelopeRecipient> recipients,
                                                        BlobRef blob, byte[] prependHeaders, boolean requireTls) {
        RelaySelector selector = relays.get();
        Map<Route, List<EnvelopeRecipient>> groups = new LinkedHashMap<>();
        Map<EnvelopeRecipient, RecipientOutcome> failed = new LinkedHashMap<>();
        for (EnvelopeRecipient r : recipients) {
            int at = r.address().lastIndexOf('@');
            if (at <= 0 || at == r.address().length() - 1) {
                failed.put(r, new RecipientOutcome(r, Kind.PERMANENT, "5.1.3",
                        "bad recipient address syntax: " + r.address(), "none", false));
                continue;
            }
            Route route = selector.route(envelope.sender(), r.address().substring(at + 1).toLowerCase(Locale.ROOT));
            groups.computeIfAbsent(route, k -> new ArrayList<>()).add(r);
        }
        MessageSource source = source(blob, prependHeaders == null ? new byte[0] : prependHeaders);
        List<CompletableFuture<List<RecipientOutcome>>> parts = new ArrayList<>();
        for (Map.Entry<Route, List<EnvelopeRecipient>> g : groups.entrySet()) {
            boolean tlsListed = selector.tlsPolicyListed(g.getKey().nextHop());
            parts.add(deliver(g.getKey(), tlsListed, envelope, requireTls, g.getValue(), source).toCompletableFuture()
                    .exceptionally(e -> all(g.getValue(), Kind.TEMPORARY, "4.3.0", "local error: " + e, "none")));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<EnvelopeRecipient, RecipientOutcome> byRecipient = new LinkedHashMap<>(failed);
            parts.forEach(p -> p.join().forEach(o -> byRecipient.put(o.recipient(), o)));
            List<RecipientOutcome> out = new ArrayList<>();
            for (EnvelopeRecipient r : recipients) {
                RecipientOutcome o = byRecipient.get(r);
                out.add(o != null ? o : new RecipientOutcome(r, Kind.TEMPORARY, "4.3.0", "no delivery result", "none", false));
            }
            return out;
        });
    }

    /** @param tlsListed the policy file lists the route's nexthop, which wins over MTA-STS */
    private CompletionStage<List<RecipientOutcome>> deliver(Route route, boolean tlsListed, Envelope envelope,
                                                           boolean requireTls, List<EnvelopeRecipient> group,
                                                           MessageSource source) {
        NextHop hop = route.nextHop();
        int port = route.relayed() ? hop.port() : mxPort;
        CompletableFuture<StsLookup> sts = security.lookup(route, tlsListed).toCompletableFuture();
        CompletableFuture<MxResult> mxLookup = resolver.resolve(hop).toCompletableFuture();
        // RFC 8689 §5: TLS-Required: No (ignored on a REQUIRETLS message) lifts an enforce policy; read only then.
        CompletableFuture<Boolean> optsOut = sts.thenCompose(policy -> !requireTls && policy.mode() == MtaStsMode.ENFORCE
                ? CompletableFuture.supplyAsync(() -> TlsRequiredField.optsOut(source), client.workers())
                : CompletableFuture.completedFuture(false));
        return CompletableFuture.allOf(sts, mxLookup, optsOut).thenCompose(ready -> {
            StsLookup policy = sts.join();
            MxResult mx = mxLookup.join();
            if (mx instanceof MxResult.PermanentFailure p) {
                return CompletableFuture.completedFuture(all(group, Kind.PERMANENT, p.status(), p.reason(), "none"));
            }
            if (mx instanceof MxResult.TemporaryFailure t) {
                return CompletableFuture.completedFuture(all(group, Kind.TEMPORARY, t.status(), t.reason(), "none"));
            }
            List<TargetHost> hosts = TargetHost.of((MxResult.Resolved) mx, port);
            return security.dane(route, hosts).thenCompose(danePlan -> {
                DaneDecision.Outcome dane = DaneDecision.decide(route.tlsPolicy(), route.destination(), danePlan, hosts);
                if (dane instanceof DaneDecision.Outcome.Defer defer) {
                    LOG.warn("deferring mail for {}: {}; tls=none dane={} level={}", route.destination(), defer.reason(),
                            defer.type() == TlsResultType.DANE_REQUIRED ? "insecure" : "fail",
                            route.tlsPolicy().configName());
                    security.reportDane(route, List.of(), defer.type(), defer.reason(), List.of());
                    return CompletableFuture.completedFuture(all(group, Kind.TEMPORARY, defer.status(), defer.reason(),
                            "none"));
                }
                DaneDecision.Outcome.Go daneGo = (DaneDecision.Outcome.Go) dane;
                return send(route, policy, daneGo, envelope, requireTls, optsOut.join(), group, source);
            });
        });
    }

    /** Delivers under DANE when a host has secure TLSA records (DANE wins over MTA-STS, RFC 8461 §2), else under MTA-STS. */
    private CompletionStage<List<RecipientOutcome>> send(Route route, StsLookup policy, DaneDecision.Outcome.Go dane,
                                                        Envelope envelope, boolean requireTls, boolean optsOut,
                                                        List<EnvelopeRecipient> group, MessageSource source) {
        TransportSecurity.Plan plan = dane.applies()
                ? new TransportSecurity.Plan.Go(dane.hosts(), route.tlsPolicy(), route.tlsMatch(), null, List.of())
                : optsOut ? security.planIgnoringPolicy(route, policy, dane.hosts())
                : security.plan(route, policy, dane.hosts());
        // under DANE each host is checked when connected: only a TLSA-authenticated session may carry it
        if (requireTls && !dane.applies()) {
            String refusal = RequireTls.refusal(plan, route.destination());
            if (refusal != null) {
                security.report(route, policy, plan instanceof TransportSecurity.Plan.Defer d ? d.skipped() : List.of(),
                        List.of());
                LOG.warn("not relaying REQUIRETLS mail for {}: {}", route.destination(), refusal);
                return CompletableFuture.completedFuture(all(group, Kind.PERMANENT, RequireTls.NOT_VERIFIED, refusal,
                        "none"));
            }
        }
        if (plan instanceof TransportSecurity.Plan.Defer defer) {
            security.report(route, policy, defer.skipped(), List.of());
            return CompletableFuture.completedFuture(all(group, Kind.TEMPORARY, "4.7.5", defer.reason(), "none"));
        }
        TransportSecurity.Plan.Go go = (TransportSecurity.Plan.Go) plan;
        Delivery d = new Delivery(route.destination(), go.hosts(), heloName, OutboundEnvelope.of(envelope, group, requireTls),
                source, go.level(), route.credentials(), go.match(), go.directive(), dane.dane());
        return client.deliver(d).thenApply(result -> {
            if (dane.applies()) {
                security.reportDane(route, dane.tlsa(), null, "", result.tlsAttempts());
            } else {
                security.report(route, policy, go.skipped(), result.tlsAttempts());
            }
            List<RecipientOutcome> out = new ArrayList<>();
            String relay = result.remoteHost() == null ? "none" : result.remoteHost();
            for (RecipientResult r : result.recipients()) {
                Kind kind = switch (r.outcome()) {
                    case DELIVERED -> Kind.DELIVERED;
                    case TEMPORARY -> Kind.TEMPORARY;
                    case PERMANENT -> Kind.PERMANENT;
                };
                out.add(new RecipientOutcome(r.recipient(), kind, r.status(), r.diagnostic(), relay, result.remoteDsn()));
            }
            return out;
        });
    }

    private static List<RecipientOutcome> all(List<EnvelopeRecipient> group, Kind kind, String status, String reason,
                                              String relay) {
        return group.stream().map(r -> new RecipientOutcome(r, kind, status, reason, relay, false)).toList();
    }

    private MessageSource source(BlobRef blob, byte[] prepend) {
        return new MessageSource() {
            @Override
            public long size() {
                return blob.size() + prepend.length;
            }

            @Override
            public InputStream open() throws IOException {
                return new SequenceInputStream(new ByteArrayInputStream(prepend), blobs.open(blob));
            }
        };
    }
}
