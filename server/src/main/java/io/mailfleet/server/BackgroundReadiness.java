package io.mailfleet.server;

import org.apache.pekko.actor.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The readiness check {@code mailfleet-background} of the health port ({@code GET /ready}): not
 * ready while {@link BackgroundHealth} reports a degraded state. Pekko management creates it from
 * configuration and calls it on every probe.
 */
public final class BackgroundReadiness implements Supplier<CompletionStage<Boolean>> {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundReadiness.class);

    private final BackgroundHealth health;
    private List<String> lastProblems = List.of();

    public BackgroundReadiness(ActorSystem system) {
        this.health = BackgroundHealth.get(system);
    }

    @Override
    public CompletionStage<Boolean> get() {
        List<String> problems = health.problems();
        synchronized (this) {
            // probes come every few seconds: say it when the state changes, not on every probe
            if (!problems.equals(lastProblems)) {
                if (problems.isEmpty()) {
                    LOG.info("node healthy again: background tasks and memory are fine");
                } else {
                    LOG.warn("node degraded, readiness check fails: {}", String.join("; ", problems));
                }
                lastProblems = problems;
            }
        }
        return CompletableFuture.completedFuture(problems.isEmpty());
    }
}
