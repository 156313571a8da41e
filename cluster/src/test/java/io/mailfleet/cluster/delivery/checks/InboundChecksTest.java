package io.mailfleet.cluster.delivery.checks;

import io.mailfleet.cluster.queue.DeliveryTarget;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InboundChecksTest {

    private static final CheckInput INPUT = new CheckInput(
            new Envelope("a@remote.example", List.of(EnvelopeRecipient.of("u@example.com")), "client.example",
                    "192.0.2.1", null, false, null, null, "7BIT", false, Instant.now()),
            new DeliveryTarget("u@example.com", DeliveryTarget.Kind.LOCAL, "u@example.com", null), null, List.of());

    private static InboundCheck check(String name, Function<CheckInput, CheckResult> answer) {
        return new InboundCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CompletionStage<CheckResult> check(CheckInput input) {
                return CompletableFuture.supplyAsync(() -> answer.apply(input));
            }
        };
    }

    private static Verdict run(InboundChecks chain) throws Exception {
        return chain.run(INPUT).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anEmptyChainAcceptsUnchanged() throws Exception {
        Verdict v = run(InboundChecks.none());
        assertInstanceOf(CheckResult.Accept.class, v.outcome());
        assertTrue(v.fields().isEmpty());
        assertTrue(v.results().isEmpty());
    }

    @Test
    void checksRunInOrderEachSeeingTheResultsBeforeIt() throws Exception {
        List<List<String>> seen = new ArrayList<>();
        Function<CheckInput, CheckResult> record = in -> {
            seen.add(in.earlier().stream().map(CheckInput.Named::check).toList());
            return new CheckResult.Annotate(List.of("X-Check-" + seen.size() + ": yes"));
        };
        Verdict v = run(new InboundChecks(List.of(check("spf", record), check("dkim", record), check("dmarc", record))));
        assertEquals(List.of(List.of(), List.of("spf"), List.of("spf", "dkim")), seen);
        assertEquals(List.of("X-Check-1: yes", "X-Check-2: yes", "X-Check-3: yes"), v.fields());
        assertInstanceOf(CheckResult.Accept.class, v.outcome());
    }

    @Test
    void theFirstRejectDeferOrQuarantineEndsTheChainKeepingEarlierAnnotations() throws Exception {
        List<String> ran = new ArrayList<>();
        Verdict v = run(new InboundChecks(List.of(
                check("auth", in -> {
                    ran.add("auth");
                    return new CheckResult.Annotate(List.of("Authentication-Results: mx; spf=fail"));
                }),
                check("greylist", in -> {
                    ran.add("greylist");
                    return new CheckResult.Defer("greylisted");
                }),
                check("spam", in -> {
                    ran.add("spam");
                    return new CheckResult.Reject("never reached");
                }))));
        assertEquals(List.of("auth", "greylist"), ran);
        assertEquals(new CheckResult.Defer("greylisted"), v.outcome());
        assertEquals(List.of("Authentication-Results: mx; spf=fail"), v.fields());
    }

    @Test
    void aFailingCheckDefersInsteadOfLettingTheMessageThroughUnchecked() throws Exception {
        InboundCheck broken = new InboundCheck() {
            @Override
            public String name() {
                return "virus";
            }

            @Override
            public CompletionStage<CheckResult> check(CheckInput input) {
                return CompletableFuture.failedFuture(new IllegalStateException("scanner down"));
            }
        };
        InboundCheck throwing = new InboundCheck() {
            @Override
            public String name() {
                return "spam";
            }

            @Override
            public CompletionStage<CheckResult> check(CheckInput input) {
                throw new IllegalStateException("bug");
            }
        };
        CheckResult.Defer d = assertInstanceOf(CheckResult.Defer.class, run(new InboundChecks(List.of(broken))).outcome());
        assertTrue(d.reason().contains("virus") && d.reason().contains("scanner down"), d.reason());
        CheckResult.Defer t = assertInstanceOf(CheckResult.Defer.class, run(new InboundChecks(List.of(throwing))).outcome());
        assertTrue(t.reason().contains("spam") && t.reason().contains("bug"), t.reason());
    }

    @Test
    void anAnnotationMustBeOneHeaderField() {
        assertThrows(IllegalArgumentException.class, () -> new CheckResult.Annotate(List.of("no colon")));
        assertThrows(IllegalArgumentException.class,
                () -> new CheckResult.Annotate(List.of("X-A: 1\r\nX-Injected: 2")));
    }
}
