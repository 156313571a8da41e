package io.mailfleet.cluster.delivery.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The ordered chain of inbound checks every local delivery passes before Sieve: the extension point
 * for authentication (SPF, DKIM, DMARC), spam, virus and greylisting. Checks run one after another so
 * each sees the results before it; the first reject, defer or quarantine ends the chain. Empty today.
 */
public final class InboundChecks {

    private final List<InboundCheck> checks;

    public InboundChecks(List<InboundCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    /** The chain without checks: every message is accepted unchanged. */
    public static InboundChecks none() {
        return new InboundChecks(List.of());
    }

    public boolean isEmpty() {
        return checks.isEmpty();
    }

    /**
     * Runs the chain. A check that fails or answers null defers the delivery (the message stays
     * queued) rather than letting unchecked mail through or losing it.
     */
    public CompletionStage<Verdict> run(CheckInput input) {
        if (checks.isEmpty()) {
            return CompletableFuture.completedFuture(Verdict.accepted());
        }
        return step(0, input, new ArrayList<>(), new ArrayList<>());
    }

    private CompletionStage<Verdict> step(int i, CheckInput input, List<CheckInput.Named> results, List<String> fields) {
        if (i == checks.size()) {
            return CompletableFuture.completedFuture(new Verdict(new CheckResult.Accept(), fields, results));
        }
        InboundCheck check = checks.get(i);
        CompletionStage<CheckResult> answer;
        try {
            answer = check.check(new CheckInput(input.envelope(), input.target(), input.message(), results));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((r, err) -> {
            if (err != null || r == null) {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                return (CheckResult) new CheckResult.Defer("check " + check.name() + " failed: "
                        + (cause == null ? "no result" : cause.toString()));
            }
            return r;
        }).thenCompose(r -> {
            results.add(new CheckInput.Named(check.name(), r));
            if (r instanceof CheckResult.Annotate a) {
                fields.addAll(a.fields());
                return step(i + 1, input, results, fields);
            }
            if (r instanceof CheckResult.Accept) {
                return step(i + 1, input, results, fields);
            }
            return CompletableFuture.completedFuture(new Verdict(r, fields, results));
        });
    }
}
