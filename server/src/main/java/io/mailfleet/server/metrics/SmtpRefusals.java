package io.mailfleet.server.metrics;

import io.mailfleet.protocols.smtp.check.RefusalCounter;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * This node's count of clients its connection-level SMTP defences refused, by reason; the metrics
 * report it as {@code mailfleet_smtp_refusals_total}. One instance per actor system (a Pekko extension),
 * so the defences and the metrics find the same counters without passing them around.
 */
public final class SmtpRefusals implements Extension, RefusalCounter {

    /** The reasons always reported (0 until the first refusal), so a dashboard sees every series. */
    public static final String DNSBL = "dnsbl";
    public static final String PREGREET = "pregreet";
    public static final String GREYLIST = "greylist";
    public static final String RATE_LIMIT = "rate-limit";

    private static final Id ID = new Id();

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    SmtpRefusals() {
        for (String r : new String[]{DNSBL, PREGREET, GREYLIST, RATE_LIMIT}) {
            counts.put(r, new LongAdder());
        }
    }

    /** The instance of a typed {@code system}. */
    public static SmtpRefusals get(org.apache.pekko.actor.typed.ActorSystem<?> system) {
        return ID.get(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system));
    }

    @Override
    public void refused(String reason) {
        counts.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** The counts so far, by reason. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((r, n) -> out.put(r, n.sum()));
        return out;
    }

    private static final class Id extends AbstractExtensionId<SmtpRefusals> implements ExtensionIdProvider {
        @Override
        public SmtpRefusals createExtension(ExtendedActorSystem system) {
            return new SmtpRefusals();
        }

        @Override
        public Id lookup() {
            return ID;
        }
    }
}
