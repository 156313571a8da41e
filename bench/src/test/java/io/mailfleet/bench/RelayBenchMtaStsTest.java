package io.mailfleet.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailfleet.protocols.outbound.OutboundClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench relay --mta-sts}: with {@code enforce} every message goes by MX over STARTTLS whose
 * certificate the node verified under the sink domain's MTA-STS policy (the node's session log says
 * {@code tls=verified ... sts=enforce}, the policy was fetched over HTTPS); with {@code none} the same
 * route runs without a policy, so the two runs differ only by MTA-STS.
 */
class RelayBenchMtaStsTest {

    private final ListAppender<ILoggingEvent> sessions = new ListAppender<>();
    private Logger outbound;
    private Level level;

    @BeforeEach
    void captureSessionLog() {
        outbound = (Logger) LoggerFactory.getLogger(OutboundClient.class);
        level = outbound.getLevel();
        outbound.setLevel(Level.INFO);
        sessions.start();
        outbound.addAppender(sessions);
    }

    @AfterEach
    void release() {
        outbound.detachAppender(sessions);
        outbound.setLevel(level);
    }

    private List<String> sessionLines() {
        return sessions.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("outbound session with")).toList();
    }

    @Test
    void enforceDeliversEveryMessageOverVerifiedTlsUnderThePolicy() throws Exception {
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        RelayBench.Result r = RelayBench.parse(new String[] {"--mta-sts", "enforce", "--messages", "30", "--warmup", "5",
                "--in-flight", "4", "--size", "1000"}, new PrintStream(report, true, StandardCharsets.UTF_8)).run();
        String text = report.toString(StandardCharsets.UTF_8);
        assertEquals(RelayBench.Route.MX_STS_ENFORCE, r.route());
        assertTrue(text.contains("warm-up: 5 of 5 messages relayed (not measured)"), text);
        assertEquals(0, r.enqueueFailures(), text);
        assertEquals(30, r.relayed(), "the warm-up is not counted: " + text);
        assertTrue(r.sinkSessions() >= 1, text);
        assertEquals(r.sinkSessions(), r.tlsSessions(), "every session to the MX used STARTTLS: " + text);
        assertTrue(r.policyFetches() >= 1, "the policy was fetched over HTTPS: " + text);
        assertTrue(text.contains("MTA-STS enforce policy id=" + MxDestination.POLICY_ID), text);
        List<String> lines = sessionLines();
        assertFalse(lines.isEmpty(), "the node logged its sessions");
        for (String line : lines) {
            assertTrue(line.contains("with " + MxDestination.MX_HOST) && line.contains("tls=verified")
                    && line.contains("sts=enforce id=" + MxDestination.POLICY_ID), line);
        }
    }

    @Test
    void noneTakesTheSameRouteWithoutAPolicy() throws Exception {
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        RelayBench.Result r = RelayBench.parse(new String[] {"--mta-sts", "none", "--messages", "10",
                "--in-flight", "4", "--size", "1000"}, new PrintStream(report, true, StandardCharsets.UTF_8)).run();
        String text = report.toString(StandardCharsets.UTF_8);
        assertEquals(10, r.relayed(), text);
        assertEquals(r.sinkSessions(), r.tlsSessions(), "opportunistic STARTTLS to the same sink: " + text);
        assertEquals(0, r.policyFetches(), text);
        List<String> lines = sessionLines();
        assertFalse(lines.isEmpty(), "the node logged its sessions");
        for (String line : lines) {
            assertTrue(line.contains("with " + MxDestination.MX_HOST) && !line.contains("sts="), line);
        }
    }

    @Test
    void mtaStsOptionNamesItsValues() {
        BenchUsageException e = assertThrows(BenchUsageException.class,
                () -> RelayBench.parse(new String[] {"--mta-sts", "testing"}, System.out));
        assertTrue(e.getMessage().contains("--mta-sts takes none or enforce, not 'testing'"), e.getMessage());
        assertThrows(BenchUsageException.class, () -> RelayBench.parse(new String[] {"--mta-sts"}, System.out));
    }
}
