package io.mailfleet.cluster.dmarcrpt;

import io.mailfleet.core.auth.dmarc.report.DmarcDkimAuth;
import io.mailfleet.core.auth.dmarc.report.DmarcEvaluation;
import io.mailfleet.core.auth.dmarc.report.DmarcReportDay;
import io.mailfleet.core.auth.dmarc.report.DmarcRow;
import io.mailfleet.core.auth.dmarc.report.DmarcRowCount;
import io.mailfleet.persistence.serialization.GoldenBytes;
import io.mailfleet.persistence.serialization.KryoCodec;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * The DMARC report messages travel between nodes of different versions during a rolling upgrade: their
 * Kryo form must stay readable. The first run records {@code src/test/resources/golden/cluster/dmarc-*};
 * later runs verify them.
 */
class DmarcReportGoldenBytesTest {

    private static void golden(KryoCodec codec, Object value, String name) {
        GoldenBytes.verify(codec, value, "golden/cluster/dmarc-" + name + ".b64");
    }

    @Test
    void reportMessages() {
        KryoCodec codec = KryoCodec.fromDefaultConfig();
        DmarcRow row = new DmarcRow("192.0.2.1", "example.com", "bounce.example.com", "quarantine", "fail", "pass",
                List.of(new DmarcDkimAuth("example.net", "sel", "fail")), "bounce.example.com", "mfrom", "pass");
        golden(codec, new DmarcReportEntity.Record(new DmarcEvaluation("example.com", 1_796_000_000_000L, row)),
                "record");
        golden(codec, new DmarcReportEntity.Taken(List.of(new DmarcReportDay("example.com", "2026-12-07",
                List.of(new DmarcRowCount(row, 3)), 1))), "taken");
    }
}
