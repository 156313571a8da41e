package io.mailfleet.cluster.tlsrpt;

import io.mailfleet.core.tlsrpt.TlsRptDay;
import io.mailfleet.core.tlsrpt.TlsRptFailureCount;
import io.mailfleet.core.tlsrpt.TlsRptPolicyTally;
import io.mailfleet.core.tlsrpt.TlsSessionOutcome;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The TLS-RPT counts of one bucket of policy domains, per domain, UTC day and policy. Kept in
 * memory: one owner per bucket makes the counts exact across the cluster; when the owning node
 * leaves, the counts not yet reported are lost (the report then undercounts that day).
 */
public final class TlsReportEntity extends AbstractBehavior<TlsReportEntity.Command> {

    /** Sharding type; the entity id is the bucket of {@link ClusterTlsReports#bucket}. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "TlsReport");

    /** Messages the entity accepts. */
    public sealed interface Command permits Record, Take {
    }

    /** Count one outcome. */
    public record Record(TlsSessionOutcome outcome) implements Command {
    }

    /** Remove and return the counts of every day up to {@code lastDay} ({@code yyyy-MM-dd}). */
    public record Take(String lastDay, ActorRef<Taken> replyTo) implements Command {
    }

    /** Reply to {@link Take}. */
    public record Taken(List<TlsRptDay> days) {
        public Taken {
            days = List.copyOf(days);
        }
    }

    private record PolicyKey(String type, List<String> strings, List<String> mxHosts) {
    }

    private record FailureKey(String resultType, String mxHost, String ip, String reason) {
    }

    private static final class Tally {
        long successes;
        final Map<FailureKey, Long> failures = new LinkedHashMap<>();
    }

    /** domain + " " + day → policy → tally; sorted so reports come out in day order. */
    private final Map<String, Map<PolicyKey, Tally>> counts = new TreeMap<>();

    private TlsReportEntity(ActorContext<Command> context) {
        super(context);
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(TlsReportEntity::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Record.class, this::onRecord)
                .onMessage(Take.class, this::onTake)
                .build();
    }

    static String day(long millis) {
        return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    private Behavior<Command> onRecord(Record r) {
        TlsSessionOutcome o = r.outcome();
        Tally t = counts.computeIfAbsent(o.policyDomain() + " " + day(o.atMillis()), k -> new LinkedHashMap<>())
                .computeIfAbsent(new PolicyKey(o.policyType(), o.policyStrings(), o.mxHosts()), k -> new Tally());
        if (o.success()) {
            t.successes++;
        } else {
            t.failures.merge(new FailureKey(o.resultType(), o.mxHost(), o.receivingIp(), o.reasonCode()), 1L, Long::sum);
        }
        return this;
    }

    private Behavior<Command> onTake(Take take) {
        List<TlsRptDay> out = new ArrayList<>();
        var it = counts.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            int space = e.getKey().lastIndexOf(' ');
            String domain = e.getKey().substring(0, space);
            String day = e.getKey().substring(space + 1);
            if (day.compareTo(take.lastDay()) > 0) {
                continue;
            }
            List<TlsRptPolicyTally> policies = new ArrayList<>();
            e.getValue().forEach((k, t) -> {
                List<TlsRptFailureCount> failures = new ArrayList<>();
                t.failures.forEach((f, n) -> failures.add(new TlsRptFailureCount(f.resultType(), f.mxHost(), f.ip(),
                        f.reason(), n)));
                policies.add(new TlsRptPolicyTally(k.type(), k.strings(), k.mxHosts(), t.successes, failures));
            });
            out.add(new TlsRptDay(domain, day, policies));
            it.remove();
        }
        take.replyTo().tell(new Taken(out));
        return this;
    }
}
