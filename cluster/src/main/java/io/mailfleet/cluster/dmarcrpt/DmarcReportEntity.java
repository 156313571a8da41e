package io.mailfleet.cluster.dmarcrpt;

import io.mailfleet.core.auth.dmarc.report.DmarcEvaluation;
import io.mailfleet.core.auth.dmarc.report.DmarcReportDay;
import io.mailfleet.core.auth.dmarc.report.DmarcRow;
import io.mailfleet.core.auth.dmarc.report.DmarcRowCount;
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
 * The DMARC report rows of one bucket of policy domains, per domain and UTC day, equal rows merged
 * by count. Kept in memory as the TLS-RPT counts are: one owner per bucket makes the counts exact
 * across the cluster; counts not yet reported are lost when the owning node leaves. Bounded: a
 * domain-day keeps at most {@link #MAX_ROWS_PER_DAY} distinct rows and the bucket at most
 * {@link #MAX_ROWS} in all; evaluations past a limit are counted as dropped, never stored.
 */
public final class DmarcReportEntity extends AbstractBehavior<DmarcReportEntity.Command> {

    /** Sharding type; the entity id is the bucket of {@link io.mailfleet.cluster.report.ReportBuckets#bucket}. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "DmarcReport");

    /** Distinct rows one domain-day keeps. */
    static final int MAX_ROWS_PER_DAY = 1000;
    /** Distinct rows one bucket keeps over all its domain-days. */
    static final int MAX_ROWS = 20_000;

    /** Messages the entity accepts. */
    public sealed interface Command permits Record, Take {
    }

    /** Count one evaluation. */
    public record Record(DmarcEvaluation evaluation) implements Command {
    }

    /** Remove and return the rows of every day up to {@code lastDay} ({@code yyyy-MM-dd}). */
    public record Take(String lastDay, ActorRef<Taken> replyTo) implements Command {
    }

    /** Reply to {@link Take}. */
    public record Taken(List<DmarcReportDay> days) {
        public Taken {
            days = List.copyOf(days);
        }
    }

    private static final class Day {
        final Map<DmarcRow, Long> rows = new LinkedHashMap<>();
        long dropped;
    }

    private final DomainDays<Day> days = new DomainDays<>(MAX_ROWS);
    private int rowCount;

    private DmarcReportEntity(ActorContext<Command> context) {
        super(context);
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(DmarcReportEntity::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Record.class, this::onRecord)
                .onMessage(Take.class, this::onTake)
                .build();
    }

    private Behavior<Command> onRecord(Record r) {
        DmarcEvaluation e = r.evaluation();
        // a full bucket opens no new domain-day, but still counts what existing ones drop
        Day d = days.tally(e.policyDomain(), e.atMillis(), () -> rowCount >= MAX_ROWS ? null : new Day());
        if (d == null) {
            if (days.firstRefusal()) {
                getContext().getLog().warn("DMARC report rows full ({} in this bucket): evaluations for new "
                        + "domains are not counted until the next report (first: {})", MAX_ROWS, e.policyDomain());
            }
            return this;
        }
        Long n = d.rows.get(e.row());
        if (n != null) {
            d.rows.put(e.row(), n + 1);
        } else if (d.rows.size() >= MAX_ROWS_PER_DAY || rowCount >= MAX_ROWS) {
            d.dropped++;
        } else {
            d.rows.put(e.row(), 1L);
            rowCount++;
        }
        return this;
    }

    private Behavior<Command> onTake(Take take) {
        List<DmarcReportDay> out = days.takeUpTo(take.lastDay(), (domain, day, d) -> {
            List<DmarcRowCount> rows = new ArrayList<>();
            d.rows.forEach((row, n) -> rows.add(new DmarcRowCount(row, n)));
            rowCount -= rows.size();
            return new DmarcReportDay(domain, day, rows, d.dropped);
        });
        take.replyTo().tell(new Taken(out));
        return this;
    }
}
