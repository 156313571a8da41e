package io.mailfleet.server.cluster;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.concurrent.Semaphore;

/**
 * At most as many cluster test classes at once as JUnit's parallelism says (devtools'
 * {@code devtools.test.parallel}). JUnit runs classes on a fork-join pool that adds a thread whenever
 * one waits on another and then starts one class more; every class here starts three node processes
 * and a PostgreSQL, so a third at once would only slow the other two down on a 2-core machine.
 */
public final class ClusterTestSlots implements BeforeAllCallback, AfterAllCallback {

    private static final String PARALLELISM = "junit.jupiter.execution.parallel.config.fixed.parallelism";
    private static Semaphore slots;

    private static synchronized Semaphore slots(ExtensionContext context) {
        if (slots == null) {
            int n = context.getConfigurationParameter(PARALLELISM).map(Integer::parseInt).orElse(1);
            slots = new Semaphore(Math.max(1, n), true);
        }
        return slots;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws InterruptedException {
        slots(context).acquire();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        slots(context).release();
    }
}
