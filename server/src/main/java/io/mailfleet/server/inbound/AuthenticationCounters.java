package io.mailfleet.server.inbound;

import io.mailfleet.core.auth.results.AuthenticationResults;
import io.mailfleet.core.auth.spf.SpfResult;
import io.mailfleet.core.dkim.DkimResult;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * This node's inbound authentication results since start, per mechanism and result (dkim=pass, spf=fail...),
 * for the metrics: one count per checked transaction for SPF (refused ones included), one per verified
 * signature for DKIM ({@code none} for an unsigned message), one per message for DMARC and ARC ({@code dmarc-override=arc} when a trusted
 * sealer's chain overrode a DMARC failure).
 */
public final class AuthenticationCounters implements org.apache.pekko.actor.Extension {

    private static final Id ID = new Id();

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** Created by the extension id; tests make their own. */
    AuthenticationCounters() {
    }

    /** The instance of the node {@code system}. */
    public static AuthenticationCounters get(org.apache.pekko.actor.typed.ActorSystem<?> system) {
        return ID.get(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system));
    }

    /**
     * Counts one message's results; SPF is counted where it is checked ({@link #countSpf}), at MAIL FROM,
     * so the transactions it refuses at RCPT count too.
     */
    public void count(AuthenticationResults r) {
        if (r.dkim().isEmpty()) {
            add("dkim", "none");
        }
        for (DkimResult d : r.dkim()) {
            add("dkim", d.status().keyword());
        }
        if (r.dmarc() != null) {
            add("dmarc", r.dmarc().status().keyword());
        }
        if (r.arc() != null) {
            add("arc", r.arc().result().status().keyword());
            if (r.arc().overridingSealer() != null) {
                add("dmarc-override", "arc");
            }
        }
    }

    /** Counts one SPF check (one per transaction from a checked client). */
    public void countSpf(SpfResult result) {
        add("spf", result.keyword());
    }

    private void add(String mechanism, String result) {
        counts.computeIfAbsent(mechanism + "=" + result, k -> new LongAdder()).increment();
    }

    /** {@code mechanism=result} to count, sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static final class Id extends org.apache.pekko.actor.AbstractExtensionId<AuthenticationCounters>
            implements org.apache.pekko.actor.ExtensionIdProvider {
        @Override
        public AuthenticationCounters createExtension(org.apache.pekko.actor.ExtendedActorSystem system) {
            return new AuthenticationCounters();
        }

        @Override
        public Id lookup() {
            return ID;
        }
    }
}
