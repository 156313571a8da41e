package io.mailfleet.server;

import io.mailfleet.core.service.DirectoryService;
import io.mailfleet.server.config.NoAccountWait;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * docker-mailserver's first start without accounts: a warning every 10 s naming the command that
 * adds one, then the node stops after the configured wait (its container would restart). The count
 * is the replicated directory's, so a node joining a cluster that has accounts never warns.
 */
final class NoAccountWatch {

    /** Why the node stopped: no account appeared within the wait. */
    static final CoordinatedShutdown.Reason NO_ACCOUNT = new CoordinatedShutdown.Reason() {
        @Override
        public String toString() {
            return "no mail account";
        }
    };

    private static final Logger LOG = LoggerFactory.getLogger(NoAccountWatch.class);
    private static final Duration PERIOD = Duration.ofSeconds(10);

    private NoAccountWatch() {
    }

    /** Starts watching; nothing happens once an account exists. */
    static void start(ActorSystem<?> system, DirectoryService directory, NoAccountWait wait) {
        long started = System.nanoTime();
        AtomicReference<Cancellable> tick = new AtomicReference<>();
        tick.set(system.scheduler().scheduleAtFixedRate(PERIOD, PERIOD, () -> {
            if (directory.view().accountCount() > 0) {
                tick.get().cancel();
                return;
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            String add = "add one with `./mailfleet email add user@example.com` or restart with "
                    + "`./mailfleet serve --create-account user@example.com`";
            if (wait.forever()) {
                LOG.warn("no mail account exists yet: {}", add);
                tick.get().cancel();
                return;
            }
            Duration left = wait.duration().minus(elapsed);
            if (left.isNegative() || left.isZero()) {
                LOG.error("no mail account was added within {} s: stopping (MAILFLEET_NO_ACCOUNT_WAIT=forever "
                        + "keeps the node running)", wait.duration().toSeconds());
                tick.get().cancel();
                CoordinatedShutdown.get(system).runAll(NO_ACCOUNT);
                return;
            }
            LOG.warn("no mail account exists yet ({} s left before this node stops): {}", left.toSeconds(), add);
        }, system.executionContext()));
    }
}
