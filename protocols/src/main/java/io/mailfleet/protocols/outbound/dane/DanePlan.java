package io.mailfleet.protocols.outbound.dane;

import io.mailfleet.core.tlsrpt.TlsResultType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The DANE look-ups of one destination, before the TLS level decides what to do with them. */
public sealed interface DanePlan {

    /** The MX RRset is not secure (or DANE is off): DANE does not apply to the destination (RFC 7672 §2.2.1). */
    record Insecure(String reason) implements DanePlan {
    }

    /** The destination's records could not be trusted or fetched: nothing may be sent now. */
    record Failed(String status, String reason, TlsResultType type) implements DanePlan {
    }

    /** The MX RRset is secure; each host's verdict, by host name, in the order of the hosts. */
    record Hosts(Map<String, DaneHost> byHost) implements DanePlan {
        public Hosts {
            byHost = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byHost));
        }

        /** True when at least one host has a secure TLSA RRset. */
        public boolean anyApplies() {
            return byHost.values().stream().anyMatch(DaneHost::applies);
        }

        /** Every TLSA record of the hosts, as RFC 8460 policy strings. */
        public List<String> policyStrings() {
            return byHost.values().stream().flatMap(h -> h instanceof DaneHost.Authenticated a ? a.all().stream()
                    : h instanceof DaneHost.EncryptOnly e ? e.all().stream() : java.util.stream.Stream.empty())
                    .map(Tlsa::toString).distinct().toList();
        }
    }
}
