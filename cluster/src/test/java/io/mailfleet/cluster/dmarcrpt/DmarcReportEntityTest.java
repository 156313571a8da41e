package io.mailfleet.cluster.dmarcrpt;

import io.mailfleet.core.auth.dmarc.report.DmarcEvaluation;
import io.mailfleet.core.auth.dmarc.report.DmarcReportDay;
import io.mailfleet.core.auth.dmarc.report.DmarcRow;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.mailfleet.cluster.report.DomainDays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bucket merges equal rows by count, keeps days apart, bounds its rows and hands a day out once. */
class DmarcReportEntityTest {

    static final ActorTestKit KIT = ActorTestKit.create();
    static final long DAY1 = 1_796_000_000_000L; // 2026-12-01
    static final long DAY2 = DAY1 + 86_400_000L;

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private static DmarcRow row(String ip) {
        return new DmarcRow(ip, "example.com", "example.com", "none", "pass", "pass", List.of(), "example.com",
                "mfrom", "pass");
    }

    private static List<DmarcReportDay> take(ActorRef<DmarcReportEntity.Command> e, String lastDay) {
        TestProbe<DmarcReportEntity.Taken> probe = KIT.createTestProbe();
        e.tell(new DmarcReportEntity.Take(lastDay, probe.getRef()));
        return probe.receiveMessage().days();
    }

    @Test
    void equalRowsMergeAndDaysAreTakenOnce() {
        ActorRef<DmarcReportEntity.Command> e = KIT.spawn(DmarcReportEntity.create());
        e.tell(new DmarcReportEntity.Record(new DmarcEvaluation("example.com", DAY1, row("192.0.2.1"))));
        e.tell(new DmarcReportEntity.Record(new DmarcEvaluation("example.com", DAY1 + 1000, row("192.0.2.1"))));
        e.tell(new DmarcReportEntity.Record(new DmarcEvaluation("example.com", DAY1, row("192.0.2.2"))));
        e.tell(new DmarcReportEntity.Record(new DmarcEvaluation("example.com", DAY2, row("192.0.2.1"))));
        String day1 = DomainDays.day(DAY1);
        List<DmarcReportDay> first = take(e, day1);
        assertEquals(1, first.size());
        assertEquals(day1, first.get(0).day());
        assertEquals(2, first.get(0).rows().size());
        assertEquals(2, first.get(0).rows().get(0).count());
        assertEquals(3, first.get(0).messages());
        assertEquals(List.of(), take(e, day1), "handed out once");
        List<DmarcReportDay> second = take(e, DomainDays.day(DAY2));
        assertEquals(1, second.size());
        assertEquals(1, second.get(0).messages());
    }

    @Test
    void aDayKeepsBoundedRowsAndCountsTheRestAsDropped() {
        ActorRef<DmarcReportEntity.Command> e = KIT.spawn(DmarcReportEntity.create());
        int extra = 5;
        for (int i = 0; i < DmarcReportEntity.MAX_ROWS_PER_DAY + extra; i++) {
            e.tell(new DmarcReportEntity.Record(new DmarcEvaluation("big.example", DAY1,
                    row("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)))));
        }
        // a row already there is still counted
        e.tell(new DmarcReportEntity.Record(new DmarcEvaluation("big.example", DAY1, row("10.0.0.0"))));
        List<DmarcReportDay> days = take(e, DomainDays.day(DAY1));
        assertEquals(DmarcReportEntity.MAX_ROWS_PER_DAY, days.get(0).rows().size());
        assertEquals(extra, days.get(0).dropped());
        assertEquals(2, days.get(0).rows().get(0).count());
    }

    @Test
    void aFullBucketCountsNoNewDomainUntilTheNextReport() {
        ActorRef<DmarcReportEntity.Command> e = KIT.spawn(DmarcReportEntity.create());
        int domains = DmarcReportEntity.MAX_ROWS / DmarcReportEntity.MAX_ROWS_PER_DAY;
        for (int d = 0; d < domains; d++) {
            for (int i = 0; i < DmarcReportEntity.MAX_ROWS_PER_DAY; i++) {
                e.tell(new DmarcReportEntity.Record(new DmarcEvaluation("d" + d + ".example", DAY1,
                        row("10.0." + (i >> 8) + "." + (i & 255)))));
            }
        }
        e.tell(new DmarcReportEntity.Record(new DmarcEvaluation("late.example", DAY1, row("192.0.2.9"))));
        e.tell(new DmarcReportEntity.Record(new DmarcEvaluation("d0.example", DAY1, row("192.0.2.9"))));
        List<DmarcReportDay> days = take(e, DomainDays.day(DAY1));
        assertEquals(domains, days.size(), "the new domain is not kept");
        assertEquals(1, days.get(0).dropped(), "a known day counts the row it cannot keep");
        e.tell(new DmarcReportEntity.Record(new DmarcEvaluation("late.example", DAY2, row("192.0.2.9"))));
        assertEquals(1, take(e, DomainDays.day(DAY2)).size(), "room again after the report");
    }
}
