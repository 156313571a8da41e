package io.mailfleet.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmtpBenchOptionsTest {

    @Test
    void defaultsMatchTheDocumentedCommand() throws Exception {
        SmtpBenchOptions o = SmtpBenchOptions.parse(new String[0]);
        assertEquals(20, o.connections());
        assertEquals(5000, o.messages());
        assertEquals(2048, o.size());
        assertEquals(1, o.recipients());
        assertFalse(o.external());
    }

    @Test
    void coldDnsOptionsAreForTheInProcessNodeOnly() throws Exception {
        SmtpBenchOptions o = SmtpBenchOptions.parse(new String[]{"--checks", "auth", "--dns-delay", "200",
                "--dns-ttl", "0"});
        assertEquals(200, o.dnsDelayMillis());
        assertEquals(0, o.dnsTtlSeconds());
        assertEquals(3600, SmtpBenchOptions.parse(new String[0]).dnsTtlSeconds());
        BenchUsageException e = org.junit.jupiter.api.Assertions.assertThrows(BenchUsageException.class,
                () -> SmtpBenchOptions.parse(new String[]{"--target", "mx.example.net:25", "--rcpt", "a@example.net",
                        "--dns-delay", "200"}));
        assertTrue(e.getMessage().contains("--dns-delay"), e.getMessage());
    }

    @Test
    void targetNeedsRecipientsAndValidPort() throws Exception {
        SmtpBenchOptions o = SmtpBenchOptions.parse(new String[]{"--target", "mx.example.net:2525", "--rcpt",
                "a@example.net,b@example.net", "--recipients", "2", "--size", "1m"});
        assertEquals("mx.example.net", o.targetHost());
        assertEquals(2525, o.targetPort());
        assertEquals(List.of("a@example.net", "b@example.net"), o.rcpts());
        assertEquals(1024 * 1024, o.size());
        BenchUsageException e = assertThrows(BenchUsageException.class,
                () -> SmtpBenchOptions.parse(new String[]{"--target", "mx.example.net:25"}));
        assertTrue(e.getMessage().contains("--rcpt"), e.getMessage());
        e = assertThrows(BenchUsageException.class,
                () -> SmtpBenchOptions.parse(new String[]{"--target", "mx:99999", "--rcpt", "a@b.c"}));
        assertTrue(e.getMessage().contains("65535"), e.getMessage());
        e = assertThrows(BenchUsageException.class, () -> SmtpBenchOptions.parse(new String[]{"--size", "2q"}));
        assertTrue(e.getMessage().contains("--size"), e.getMessage());
        e = assertThrows(BenchUsageException.class, () -> SmtpBenchOptions.parse(new String[]{"--connections"}));
        assertTrue(e.getMessage().contains("needs a value"), e.getMessage());
        e = assertThrows(BenchUsageException.class, () -> SmtpBenchOptions.parse(new String[]{"--bogus"}));
        assertTrue(e.getMessage().contains("--bogus"), e.getMessage());
    }

    @Test
    void messageHasTheRequestedSizeAndNeedsNoDotStuffing() {
        BenchMessage m = new BenchMessage("s@example.org", List.of("r@example.com"), 2048, 7);
        assertEquals(2048, m.size(0));
        String text = new String(m.body(), StandardCharsets.US_ASCII);
        assertTrue(text.endsWith("\r\n"));
        for (String line : text.split("\r\n")) {
            assertFalse(line.startsWith("."), line);
            assertTrue(line.length() <= 78, line);
        }
        assertFalse(text.replace("\r\n", "").contains("\n") || text.replace("\r\n", "").contains("\r"));
        assertEquals(5000, BenchMessage.body(5000, new Random(1)).length);
    }

    @Test
    void percentilesUseNearestRank() {
        Latencies l = new Latencies();
        for (int i = 100; i >= 1; i--) {
            l.add(i);
        }
        Latencies.Summary s = l.summary();
        assertEquals(50, s.p50());
        assertEquals(90, s.p90());
        assertEquals(99, s.p99());
        assertEquals(100, s.max());
        assertEquals(100, s.samples());
    }
}
