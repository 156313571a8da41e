package io.mailfleet.cluster.dmarcrpt;

import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.auth.dmarc.report.DmarcDkimAuth;
import io.mailfleet.core.auth.dmarc.report.DmarcEvaluation;
import io.mailfleet.core.auth.dmarc.report.DmarcReportDay;
import io.mailfleet.core.auth.dmarc.report.DmarcRow;
import io.mailfleet.core.auth.dmarc.report.DmarcRowCount;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes in one JVM (real Artery, real Kryo): DMARC evaluations recorded on both nodes come out
 * once, equal rows merged across the nodes, per policy domain and day.
 */
class DmarcReportClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path data;

    private static DmarcRow row(String disposition) {
        return new DmarcRow("192.0.2.1", "example.com", "bounce.example.com", disposition, "fail", "fail",
                List.of(new DmarcDkimAuth("example.net", "s", "pass")), "bounce.example.com", "mfrom", "pass");
    }

    @Test
    void rowsOfBothNodesAreMergedAndTakenOnce() throws Exception {
        ActorTestKit a = TestNodes.node(data);
        ActorTestKit b = TestNodes.node(data);
        try {
            TestNodes.join(a.system(), a.system());
            TestNodes.join(b.system(), a.system());
            TestNodes.awaitUp(a.system(), 2);
            TestNodes.awaitUp(b.system(), 2);
            ClusterDmarcReports reportsA = ClusterDmarcReports.start(a.system());
            ClusterDmarcReports reportsB = ClusterDmarcReports.start(b.system());
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            long yesterday = today.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600).toEpochMilli();
            reportsA.record(new DmarcEvaluation("example.com", yesterday, row("reject")));
            reportsB.record(new DmarcEvaluation("example.com", yesterday, row("reject")));
            reportsB.record(new DmarcEvaluation("example.com", yesterday, row("none")));
            reportsA.record(new DmarcEvaluation("example.org", yesterday, row("none")));
            reportsA.record(new DmarcEvaluation("example.com", Instant.now().toEpochMilli(), row("reject")));

            // Tells are not acknowledged: take until every row of yesterday has arrived.
            List<DmarcReportDay> taken = new ArrayList<>();
            TestNodes.await(() -> {
                taken.addAll(reportsB.take(today.minusDays(1).toString()).toCompletableFuture().join());
                return count(taken, "example.com", "reject") == 2 && count(taken, "example.com", "none") == 1
                        && count(taken, "example.org", "none") == 1;
            }, WAIT, "yesterday's rows of both nodes");
            assertTrue(taken.stream().allMatch(d -> d.day().equals(today.minusDays(1).toString())), taken.toString());
            assertEquals(List.of(), reportsA.take(today.minusDays(1).toString()).toCompletableFuture()
                    .get(20, TimeUnit.SECONDS), "each row is handed out once");
            List<DmarcReportDay> todays = reportsA.take(today.toString()).toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertEquals(1, todays.size(), todays.toString());
            assertEquals(1, todays.get(0).messages());
        } finally {
            b.shutdownTestKit();
            a.shutdownTestKit();
        }
    }

    private static long count(List<DmarcReportDay> days, String domain, String disposition) {
        long n = 0;
        for (DmarcReportDay d : days) {
            if (d.policyDomain().equals(domain)) {
                for (DmarcRowCount c : d.rows()) {
                    if (c.row().disposition().equals(disposition)) {
                        n += c.count();
                    }
                }
            }
        }
        return n;
    }
}
