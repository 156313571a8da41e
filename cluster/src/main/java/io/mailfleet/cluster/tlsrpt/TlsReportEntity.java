package io.mailfleet.cluster.tlsrpt;

import io.mailfleet.core.tlsrpt.TlsRptDay;
import io.mailfleet.core.tlsrpt.TlsRptFailureCount;
import io.mailfleet.core.tlsrpt.TlsRptPolicyTally;
import io.mailfleet.core.tlsrpt.TlsSessionOutcome;
import io.mailfleet.cluster.report.DomainDays;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TLS-RPT counts of one bucket of policy domains, per domain, UTC day and policy. Kept in
 * memory: one owner per bucket makes the counts exact across the cluster; when the owning node
 * leaves, the counts not yet reported are lost (the report then undercounts that day). Bounded:
 * at most {@link #MAX_DAYS} domain-days and {@link #MAX_FAILURE_DETAILS} failure details per policy.
 */
public final class TlsReportEntity extends AbstractBehavior<TlsReportEntity.Command> {

    /** Sharding type; the entity id is the bucket of {@link io.mailfleet.cluster.report.ReportBuckets#bucket}. */
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

    /** Domain-days one bucket keeps open; outcomes for new ones beyond it are not counted (logged once). */
    static final int MAX_DAYS = 20_000;
    /** Distinct failure details one policy of a domain-day keeps; more are added to a catch-all detail. */
    static final int MAX_FAILURE_DETAILS = 1_000;

    /** domain-day → policy → tally. */
    private final DomainDays<Map<PolicyKey, Tally>> counts = new DomainDays<>(MAX_DAYS);

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

    private Behavior<Command> onRecord(Record r) {
        TlsSessionOutcome o = r.outcome();
        Map<PolicyKey, Tally> day = counts.tally(o.policyDomain(), o.atMillis(), LinkedHashMap::new);
        if (day == null) {
            if (counts.firstRefusal()) {
                getContext().getLog().warn("TLS-RPT counts full ({} domain-days in this bucket): outcomes for new "
                        + "domains are not counted until the next report (first: {})", MAX_DAYS, o.policyDomain());
            }
            return this;
        }
        Tally t = day.computeIfAbsent(new PolicyKey(o.policyType(), o.policyStrings(), o.mxHosts()), k -> new Tally());
        if (o.success()) {
            t.successes++;
        } else {
            FailureKey f = new FailureKey(o.resultType(), o.mxHost(), o.receivingIp(), o.reasonCode());
            if (!t.failures.containsKey(f) && t.failures.size() >= MAX_FAILURE_DETAILS) {
                f = new FailureKey(o.resultType(), "", "", "more failure details than reported");
            }
            t.failures.merge(f, 1L, Long::sum);
        }
        return this;
    }

    private Behavior<Command> onTake(Take take) {
        List<TlsRptDay> out = counts.takeUpTo(take.lastDay(), (domain, day, policiesOfDay) -> {
            List<TlsRptPolicyTally> policies = new ArrayList<>();
            policiesOfDay.forEach((k, t) -> {
                List<TlsRptFailureCount> failures = new ArrayList<>();
                t.failures.forEach((f, n) -> failures.add(new TlsRptFailureCount(f.resultType(), f.mxHost(), f.ip(),
                        f.reason(), n)));
                policies.add(new TlsRptPolicyTally(k.type(), k.strings(), k.mxHosts(), t.successes, failures));
            });
            return new TlsRptDay(domain, day, policies);
        });
        take.replyTo().tell(new Taken(out));
        return this;
    }
}
