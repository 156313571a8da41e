package io.mailfleet.cluster.tlsrpt;

import io.mailfleet.cluster.report.DomainDays;
import io.mailfleet.core.tlsrpt.TlsRptDay;
import io.mailfleet.core.tlsrpt.TlsSessionOutcome;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A bucket's TLS-RPT counts: per domain-day and policy, and a flood of distinct failures stays bounded. */
class TlsReportEntityTest {

    static final ActorTestKit KIT = ActorTestKit.create();
    static final long DAY1 = 1_796_000_000_000L;

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private static TlsSessionOutcome outcome(String ip, String result) {
        return new TlsSessionOutcome("example.com", DAY1, TlsSessionOutcome.STS, List.of("version: STSv1", "mode: enforce"),
                List.of("mx.example.com"), result, "mx.example.com", ip, "");
    }

    @Test
    void distinctFailureDetailsAreBoundedAndTheRestCountedTogether() {
        ActorRef<TlsReportEntity.Command> e = KIT.spawn(TlsReportEntity.create());
        int extra = 5;
        for (int i = 0; i < TlsReportEntity.MAX_FAILURE_DETAILS + extra; i++) {
            e.tell(new TlsReportEntity.Record(outcome("10.0." + (i / 250) + "." + (i % 250), "certificate-expired")));
        }
        e.tell(new TlsReportEntity.Record(outcome("192.0.2.1", "")));
        TestProbe<TlsReportEntity.Taken> probe = KIT.createTestProbe();
        e.tell(new TlsReportEntity.Take(DomainDays.day(DAY1), probe.getRef()));
        List<TlsRptDay> days = probe.receiveMessage().days();
        assertEquals(1, days.size());
        var policy = days.get(0).policies().get(0);
        assertEquals(1, policy.successes());
        assertEquals(TlsReportEntity.MAX_FAILURE_DETAILS + 1, policy.failures().size());
        assertEquals(TlsReportEntity.MAX_FAILURE_DETAILS + extra,
                policy.failures().stream().mapToLong(f -> f.count()).sum(), "every failure counted");
    }
}
