package io.mailfleet.cluster.tlsrpt;

import io.mailfleet.core.mtasts.CachedPolicy;
import io.mailfleet.core.mtasts.MtaStsMode;
import io.mailfleet.core.mtasts.MtaStsPolicy;
import io.mailfleet.core.tlsrpt.TlsRptDay;
import io.mailfleet.core.tlsrpt.TlsRptFailureCount;
import io.mailfleet.core.tlsrpt.TlsRptPolicyTally;
import io.mailfleet.core.tlsrpt.TlsSessionOutcome;
import io.mailfleet.persistence.serialization.GoldenBytes;
import io.mailfleet.persistence.serialization.KryoCodec;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * The replicated MTA-STS policies and the TLS-RPT messages travel between nodes of different
 * versions during a rolling upgrade: their Kryo form must stay readable. The first run records
 * {@code src/test/resources/golden/cluster/tls-*}; later runs verify them.
 */
class TransportSecurityGoldenBytesTest {

    private static void golden(KryoCodec codec, Object value, String name) {
        GoldenBytes.verify(codec, value, "golden/cluster/tls-" + name + ".b64");
    }

    @Test
    void policiesAndReportMessages() {
        KryoCodec codec = KryoCodec.fromDefaultConfig();
        MtaStsPolicy policy = new MtaStsPolicy(MtaStsMode.ENFORCE, List.of("mx.example.com", "*.example.net"), 86400);
        golden(codec, new CachedPolicy("example.com", "20261207", policy, 1_796_000_000_000L), "cached-policy");
        TlsSessionOutcome outcome = new TlsSessionOutcome("example.com", 1_796_000_000_000L, TlsSessionOutcome.STS,
                policy.policyStrings(), policy.mx(), "certificate-host-mismatch", "mx.example.com", "192.0.2.1",
                "certificate names [mx.other.example]");
        golden(codec, new TlsReportEntity.Record(outcome), "record");
        golden(codec, new TlsReportEntity.Taken(List.of(new TlsRptDay("example.com", "2026-12-07", List.of(
                new TlsRptPolicyTally(TlsSessionOutcome.STS, policy.policyStrings(), policy.mx(), 3, List.of(
                        new TlsRptFailureCount("starttls-not-supported", "mx.example.com", "192.0.2.1", "", 2))))))),
                "taken");
    }
}
