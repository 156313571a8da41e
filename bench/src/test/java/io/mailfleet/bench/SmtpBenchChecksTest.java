package io.mailfleet.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench smtp --checks}: the options parse, and a tiny run with every check on delivers everything. */
class SmtpBenchChecksTest {

    @Test
    void checksParseAndAuthImpliesSignedMessages() throws Exception {
        SmtpBenchOptions none = SmtpBenchOptions.parse(new String[0]);
        assertEquals(Set.of(), none.checks());
        assertFalse(none.signed());
        SmtpBenchOptions signedOff = SmtpBenchOptions.parse(new String[]{"--checks", "none", "--signed"});
        assertEquals(Set.of(), signedOff.checks());
        assertTrue(signedOff.signed());
        SmtpBenchOptions auth = SmtpBenchOptions.parse(new String[]{"--checks", "auth,scorer"});
        assertEquals(Set.of(BenchChecks.Group.AUTH, BenchChecks.Group.SCORER), auth.checks());
        assertTrue(auth.signed());
        assertEquals(Set.of(BenchChecks.Group.values()),
                SmtpBenchOptions.parse(new String[]{"--checks", "all"}).checks());
        assertEquals(Set.of(BenchChecks.Group.DEFENCES),
                SmtpBenchOptions.parse(new String[]{"--checks", "defences"}).checks());
        BenchUsageException e = assertThrows(BenchUsageException.class,
                () -> SmtpBenchOptions.parse(new String[]{"--checks", "spf"}));
        assertTrue(e.getMessage().contains("'spf'"), e.getMessage());
        e = assertThrows(BenchUsageException.class, () -> SmtpBenchOptions.parse(new String[]{"--target", "mx:25",
                "--rcpt", "a@b.c", "--checks", "auth"}));
        assertTrue(e.getMessage().contains("--target"), e.getMessage());
    }

    /**
     * With DMARC p=reject enforced, a message whose DKIM signature or SPF did not pass would be refused
     * (an error in the report): every message accepted and delivered, with the local DNS server asked
     * for the SPF, DKIM, DMARC and DNSBL names, shows the checks ran and passed.
     */
    @Test
    void aTinyRunWithEveryCheckOnDeliversEveryMessage() throws Exception {
        SmtpBenchOptions o = SmtpBenchOptions.parse(new String[]{"--checks", "all", "--connections", "2",
                "--messages", "20", "--mailboxes", "2"});
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        SmtpBenchResult r = new SmtpBench(o, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
        String log = progress.toString(StandardCharsets.UTF_8);
        assertEquals(0, r.errors(), log + r.errorSamples());
        assertEquals(20, r.accepted(), log);
        assertEquals(20, r.delivered(), log);
        Matcher m = Pattern.compile("answered (\\d+) queries").matcher(log);
        assertTrue(m.find(), log);
        // SPF, the DKIM key, DMARC and the DNSBL each asked at least once (a trusted client would skip them)
        assertTrue(Long.parseLong(m.group(1)) >= 4, log);
    }
}
