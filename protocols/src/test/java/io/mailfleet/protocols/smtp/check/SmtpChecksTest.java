package io.mailfleet.protocols.smtp.check;

import io.mailfleet.protocols.smtp.SmtpReply;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmtpChecksTest {

    private static final SmtpReply NO = new SmtpReply(550, "5.7.1", "no");

    @Test
    void noChecksAcceptAtOnce() {
        CompletableFuture<CheckResult> r = SmtpChecks.inOrder(SmtpChecks.NONE.rcpt(), null);
        assertTrue(r.isDone(), "an empty stage must not make the session wait");
        assertSame(CheckResult.ACCEPT, r.join());
    }

    @Test
    void checksRunInOrderAndTheFirstRefusalStops() {
        List<String> calls = new ArrayList<>();
        CompletableFuture<CheckResult> pending = new CompletableFuture<>();
        List<SmtpCheck<String>> checks = List.of(
                a -> {
                    calls.add("first " + a);
                    return pending;
                },
                a -> {
                    calls.add("second " + a);
                    return CompletableFuture.completedFuture(CheckResult.refuse(NO, "second says no"));
                },
                a -> {
                    calls.add("third " + a);
                    return CompletableFuture.completedFuture(CheckResult.ACCEPT);
                });
        CompletableFuture<CheckResult> r = SmtpChecks.inOrder(checks, "x");
        assertEquals(List.of("first x"), calls, "the second check waits for the first");
        assertFalse(r.isDone());
        pending.complete(CheckResult.ACCEPT);
        CheckResult.Refuse refused = assertInstanceOf(CheckResult.Refuse.class, r.join());
        assertEquals(NO, refused.reply());
        assertEquals("second says no", refused.reason());
        assertEquals(List.of("first x", "second x"), calls);
    }

    @Test
    void aThrowingOrFailingCheckRefusesTemporarily() {
        SmtpCheck<String> throwing = a -> {
            throw new IllegalStateException("bug");
        };
        SmtpCheck<String> failing = a -> CompletableFuture.failedFuture(new IllegalStateException("down"));
        SmtpCheck<String> silent = a -> CompletableFuture.completedFuture(null);
        for (SmtpCheck<String> c : List.of(throwing, failing, silent)) {
            CheckResult.Refuse r = assertInstanceOf(CheckResult.Refuse.class, SmtpChecks.inOrder(List.of(c), "x").join());
            assertEquals(new SmtpReply(451, "4.3.5", "Server configuration problem"), r.reply());
        }
    }

    @Test
    void aRefusalNeedsAnErrorReply() {
        assertThrows(IllegalArgumentException.class,
                () -> CheckResult.refuse(new SmtpReply(250, "2.0.0", "Ok"), "not a refusal"));
    }

    @Test
    void stagesKeepTheirOrder() {
        SmtpCheck<RcptAttempt> a = x -> CompletableFuture.completedFuture(CheckResult.ACCEPT);
        SmtpCheck<RcptAttempt> b = x -> CompletableFuture.completedFuture(CheckResult.ACCEPT);
        SmtpChecks checks = SmtpChecks.NONE.withRcpt(a).withRcpt(b);
        assertEquals(List.of(a, b), checks.rcpt());
        assertTrue(checks.mail().isEmpty());
        assertTrue(checks.connect().isEmpty());
    }

    @Test
    void aRewriteKeepsTheFactsOfTheNotesAroundIt() {
        DropFields drop = new DropFields(List.of("x-spam"), List.of("x-spam-"));
        io.mailfleet.core.blob.BlobRef blob = new io.mailfleet.core.blob.BlobRef("b", 10, "00");
        CheckResult.Note before = new CheckResult.Note("A: 1\r\n", null, List.of("earlier"));
        CheckResult.Rewritten rewrite = new CheckResult.Rewritten(blob, 10, "B: 2\r\n");
        CheckResult.Note after = new CheckResult.Note("C: 3\r\n", null, List.of(drop));
        List<SmtpCheck<String>> checks = List.of(a -> CompletableFuture.completedFuture(before),
                a -> CompletableFuture.completedFuture(rewrite), a -> CompletableFuture.completedFuture(after));
        CheckResult.Rewritten r = assertInstanceOf(CheckResult.Rewritten.class, SmtpChecks.inOrder(checks, "x").join());
        assertEquals("A: 1\r\nB: 2\r\nC: 3\r\n", r.traceFields());
        assertEquals(List.of("earlier", drop), r.facts());
        assertEquals(drop, DropFields.in(r.facts()));
        assertEquals(null, DropFields.in(before.facts()));
        assertTrue(drop.matches("X-Spam-Flag") && drop.matches("X-SPAM") && !drop.matches("X-Spammer"));
    }

    @Test
    void aLaterRewriteKeepsTheEnvelopeChangesOfAnEarlierOne() {
        io.mailfleet.core.blob.BlobRef first = new io.mailfleet.core.blob.BlobRef("b1", 10, "00");
        io.mailfleet.core.blob.BlobRef second = new io.mailfleet.core.blob.BlobRef("b2", 12, "00");
        EnvelopeChange deleted = new EnvelopeChange.DeleteRecipient("a@example.com");
        EnvelopeChange added = new EnvelopeChange.AddRecipient("a@example.com", null, null);
        List<SmtpCheck<String>> checks = List.of(
                a -> CompletableFuture.completedFuture(new CheckResult.Rewritten(first, 10, "", List.of(deleted))),
                a -> CompletableFuture.completedFuture(new CheckResult.Rewritten(second, 12, "", List.of(added))));
        CheckResult.Rewritten r = assertInstanceOf(CheckResult.Rewritten.class, SmtpChecks.inOrder(checks, "x").join());
        assertEquals(second, r.message());
        assertEquals(List.of(deleted, added), r.facts(), "the earlier milter's change first");
    }
}
