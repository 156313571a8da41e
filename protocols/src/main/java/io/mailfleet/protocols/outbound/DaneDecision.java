package io.mailfleet.protocols.outbound;

import io.mailfleet.core.tlsrpt.TlsResultType;
import io.mailfleet.protocols.outbound.dane.DaneHost;
import io.mailfleet.protocols.outbound.dane.DanePlan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@code dane} and {@code dane-only} levels make of a destination's DANE look-ups
 * (RFC 7672 §2.2, Postfix's semantics): hosts with bogus or failed look-ups are never used; at
 * {@code dane} a destination without secure TLSA records is delivered as at {@code may}; at
 * {@code dane-only} only hosts with usable TLSA records are, and without one the mail waits.
 */
final class DaneDecision {

    private DaneDecision() {
    }

    sealed interface Outcome {
        /**
         * Deliver to {@code hosts}; {@code dane} has each host's verdict; {@code applies} when at least one
         * host has secure TLSA records (then DANE wins over MTA-STS, RFC 8461 §2).
         */
        record Go(List<TargetHost> hosts, Map<String, DaneHost> dane, boolean applies, List<String> tlsa)
                implements Outcome {
        }

        /** Defer everything. */
        record Defer(String status, String reason, TlsResultType type) implements Outcome {
        }
    }

    static Outcome decide(TlsPolicy level, String destination, DanePlan plan, List<TargetHost> hosts) {
        if (plan == null) {
            return new Outcome.Go(hosts, Map.of(), false, List.of());
        }
        if (plan instanceof DanePlan.Failed f) {
            return new Outcome.Defer(f.status(), f.reason(), f.type());
        }
        if (plan instanceof DanePlan.Insecure i) {
            if (level == TlsPolicy.DANE_ONLY) {
                return new Outcome.Defer("4.7.5", "TLS policy dane-only for " + destination + ", but " + i.reason(),
                        TlsResultType.DANE_REQUIRED);
            }
            Map<String, DaneHost> insecure = new LinkedHashMap<>();
            hosts.forEach(h -> insecure.put(h.host().toLowerCase(java.util.Locale.ROOT), new DaneHost.Insecure(i.reason())));
            return new Outcome.Go(hosts, insecure, false, List.of());
        }
        DanePlan.Hosts verdicts = (DanePlan.Hosts) plan;
        List<TargetHost> kept = new ArrayList<>();
        Map<String, DaneHost> dane = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
        TlsResultType type = level == TlsPolicy.DANE_ONLY ? TlsResultType.DANE_REQUIRED : null;
        boolean onlyLookupFailures = true;
        for (TargetHost h : hosts) {
            String name = h.host().toLowerCase(java.util.Locale.ROOT);
            DaneHost v = verdicts.byHost().get(name);
            if (v == null) {
                v = new DaneHost.Insecure("not looked up");
            }
            if (v instanceof DaneHost.Unusable u) {
                refused.add(u.reason());
                if (u.type() == TlsResultType.DNSSEC_INVALID) {
                    type = TlsResultType.DNSSEC_INVALID;
                    onlyLookupFailures = false;
                } else if (type == null) {
                    type = u.type();
                }
                continue;
            }
            if (level == TlsPolicy.DANE_ONLY && !(v instanceof DaneHost.Authenticated)) {
                onlyLookupFailures = false;
                refused.add(name + ": " + (v instanceof DaneHost.Insecure in ? in.reason() : "no usable TLSA record"));
                continue;
            }
            kept.add(h);
            dane.put(name, v);
        }
        if (kept.isEmpty()) {
            String why = String.join("; ", refused);
            String status = onlyLookupFailures && level != TlsPolicy.DANE_ONLY ? "4.4.3" : "4.7.5";
            return new Outcome.Defer(status, (level == TlsPolicy.DANE_ONLY ? "TLS policy dane-only for " + destination
                    + ": no host with usable DNSSEC-validated TLSA records: " : "DANE for " + destination
                    + ": no host may be used: ") + why, type == null ? TlsResultType.VALIDATION_FAILURE : type);
        }
        boolean applies = dane.values().stream().anyMatch(DaneHost::applies);
        return new Outcome.Go(kept, dane, applies, verdicts.policyStrings());
    }
}
