package io.mailfleet.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImapIdleOptionsTest {

    @Test
    void defaultsSpreadTenConnectionsPerAccount() throws Exception {
        ImapIdleOptions o = ImapIdleOptions.parse(new String[] {"--idle", "10000", "--target", "127.0.0.1:20143",
                "--password", "bench-password"});
        assertEquals(10_000, o.idle());
        assertEquals("127.0.0.1", o.host());
        assertEquals(20143, o.port());
        assertEquals(1000, o.accounts());
        assertEquals(30, o.holdSeconds());
        assertEquals("bench1@example.com", o.accountOfConnection(0));
        assertEquals("bench1000@example.com", o.accountOfConnection(999));
        assertEquals("bench1@example.com", o.accountOfConnection(1000));
        assertFalse(o.measuresHeap());
        assertFalse(o.checksDelivery());
        assertNull(o.smtpHost());
    }

    @Test
    void everyOptionIsRead() throws Exception {
        ImapIdleOptions o = ImapIdleOptions.parse(new String[] {"--target", "[::1]:143", "--idle", "25",
                "--password", "p", "--account-prefix", "idle", "--account-domain", "mail.example.org",
                "--accounts", "5", "--hold", "0", "--parallel", "3", "--smtp", "localhost:2525",
                "--server-pid", "4242"});
        assertEquals("::1", o.host());
        assertEquals("idle5@mail.example.org", o.accountOfConnection(24));
        assertEquals(0, o.holdSeconds());
        assertEquals(3, o.parallel());
        assertEquals("localhost", o.smtpHost());
        assertEquals(2525, o.smtpPort());
        assertEquals(4242, o.serverPid());
        assertTrue(o.measuresHeap() && o.checksDelivery());
    }

    @Test
    void externalModeIsChosenByItsOptionsOnly() {
        assertFalse(ImapIdleOptions.requested(new String[] {"--idle", "9000", "--clients", "10"}));
        assertTrue(ImapIdleOptions.requested(new String[] {"--idle", "9000", "--password", "x"}));
    }

    @Test
    void badOptionsAreNamed() {
        assertMessage("--target HOST:PORT", "--idle", "10", "--password", "x");
        assertMessage("--idle K", "--target", "h:1", "--password", "x");
        assertMessage("--password", "--target", "h:1", "--idle", "10");
        assertMessage("--target must be host:port", "--target", "h", "--idle", "10", "--password", "x");
        assertMessage("--target port must be between 1 and 65535", "--target", "h:0", "--idle", "1",
                "--password", "x");
        assertMessage("--idle must be between 1 and 100000", "--target", "h:1", "--idle", "0", "--password", "x");
        assertMessage("--hold must be a whole number, got 'long'", "--target", "h:1", "--idle", "1",
                "--password", "x", "--hold", "long");
        assertMessage("--accounts 20 is more than --idle 10", "--target", "h:1", "--idle", "10", "--password", "x",
                "--accounts", "20");
        assertMessage("--account-domain must be a domain name", "--target", "h:1", "--idle", "1",
                "--password", "x", "--account-domain", "localhost");
        assertMessage("--account-prefix must be the start", "--target", "h:1", "--idle", "1", "--password", "x",
                "--account-prefix", "a@b");
        assertMessage("--password must be printable ASCII", "--target", "h:1", "--idle", "1", "--password",
                "a\"b");
        assertMessage("--clients belongs to the in-process mixed load", "--target", "h:1", "--clients", "3");
        assertMessage("--server-pid needs a value", "--target", "h:1", "--server-pid");
        assertMessage("unknown option '--bogus'", "--target", "h:1", "--bogus", "1");
    }

    @Test
    void benchCommandPrintsTheUsageErrorAndExitsWithTwo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Bench.run(new String[] {"imap", "--idle", "10", "--password", "x"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("bench imap: --target HOST:PORT"), e);
        assertTrue(e.contains("--server-pid PID"), e);
    }

    private static void assertMessage(String expected, String... args) {
        BenchUsageException e = assertThrows(BenchUsageException.class, () -> ImapIdleOptions.parse(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
