package io.mailfleet.server.scan;

import io.mailfleet.protocols.smtp.check.CheckResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** docker-mailserver's SA_TAG / SA_TAG2 / SA_KILL applied to spamd scores. */
class SpamThresholdsTest {

    private final SpamThresholds dms = new SpamThresholds(2.0, 6.31, 10.0, true);

    @Test
    void belowTagNothingAtTagFieldsAtTag2SpamAtKillRefusedOrSpam() {
        assertEquals(CheckResult.ACCEPT, dms.apply(1.9, List.of("A")).result());
        assertEquals("X-Spam-Flag: NO\r\nX-Spam-Score: 2.5\r\nX-Spam-Level: **\r\n"
                        + "X-Spam-Status: No, score=2.5 tagged_above=2 required=6.31\r\n\ttests=[A, B]\r\n",
                ((CheckResult.Note) dms.apply(2.5, List.of("A", "B")).result()).traceFields());
        assertEquals("X-Spam-Flag: YES\r\nX-Spam-Score: 6.31\r\nX-Spam-Level: ******\r\n"
                        + "X-Spam-Status: Yes, score=6.31 tagged_above=2 required=6.31\r\n\ttests=[]\r\n",
                ((CheckResult.Note) dms.apply(6.31, List.of()).result()).traceFields());
        assertEquals("score=12 kill, delivered as spam", dms.apply(12, List.of()).verdict());
        CheckResult refused = new SpamThresholds(2.0, 6.31, 10.0, false).apply(10, List.of()).result();
        assertEquals("554 5.7.1 Spam message rejected", ((CheckResult.Refuse) refused).reply().line());
    }
}
