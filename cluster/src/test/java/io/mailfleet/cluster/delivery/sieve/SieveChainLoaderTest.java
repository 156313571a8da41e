package io.mailfleet.cluster.delivery.sieve;

import io.mailfleet.cluster.queue.SieveSettings;
import io.mailfleet.core.service.SieveScriptStore;
import io.mailfleet.core.sieve.CompiledScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SieveChainLoaderTest {

    /** Runs nothing until told to: shows what was handed to the blocking pool and when. */
    private static final class HeldExecutor implements Executor {
        final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

        @Override
        public void execute(Runnable r) {
            tasks.add(r);
        }

        void runAll() {
            for (Runnable r; (r = tasks.poll()) != null; ) {
                r.run();
            }
        }
    }

    /** A script store whose answer for the active script the test completes (or never does). */
    private static final class PendingStore implements SieveScriptStore {
        final CompletableFuture<Optional<Script>> active = new CompletableFuture<>();

        @Override
        public CompletionStage<Optional<Script>> activeScript(String account) {
            return active;
        }

        @Override
        public CompletionStage<Void> put(String account, String name, String source) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<List<ScriptInfo>> list(String account) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Optional<String>> get(String account, String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> delete(String account, String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> rename(String account, String from, String to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> setActive(String account, String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> haveSpace(String account, String name, long size) {
            throw new UnsupportedOperationException();
        }
    }

    private static SieveSettings settings(Path dms) {
        return new SieveSettings(true, dms, true, false, "", null);
    }

    @Test
    void noThreadWaitsForTheStoreAndTheChainIsBuiltOnTheBlockingPool(@TempDir Path dms) throws Exception {
        Files.writeString(dms.resolve("before.dovecot.sieve"), "keep;\n");
        PendingStore store = new PendingStore();
        HeldExecutor blocking = new HeldExecutor();
        var chain = new SieveChainLoader(settings(dms), store, Duration.ofSeconds(20))
                .withChain("User@Example.com", blocking, Function.identity()).toCompletableFuture();

        assertFalse(chain.isDone());
        assertTrue(blocking.tasks.isEmpty(), "nothing runs on the blocking pool before the store answers");
        store.active.complete(Optional.of(new SieveScriptStore.Script("mine", "discard;\n")));
        assertFalse(chain.isDone(), "the files are read and the scripts compiled on the blocking pool");
        blocking.runAll();

        List<String> names = chain.get(1, TimeUnit.SECONDS).stream().map(CompiledScript::name).toList();
        assertEquals(List.of("before.dovecot.sieve", "user@example.com/mine", "spam_to_junk"), names);
    }

    @Test
    void whatRunsOnTheChainRunsOnTheBlockingPoolEvenWhenTheStoreHasAlreadyAnswered(@TempDir Path dms)
            throws Exception {
        PendingStore store = new PendingStore();
        store.active.complete(Optional.empty());
        HeldExecutor blocking = new HeldExecutor();
        var ran = new SieveChainLoader(settings(dms), store, Duration.ofSeconds(20))
                .withChain("user@example.com", blocking, chain -> Thread.currentThread().getName())
                .toCompletableFuture();
        assertFalse(ran.isDone(), "nothing runs on the caller's thread");
        Thread pool = new Thread(blocking::runAll, "the-blocking-pool");
        pool.start();
        pool.join();
        assertEquals("the-blocking-pool", ran.get(1, TimeUnit.SECONDS));
    }

    @Test
    void withoutAnActiveScriptTheAccountsFileFromTheConfigDirectoryIsUsed(@TempDir Path dms) throws Exception {
        Files.writeString(dms.resolve("user@example.com.dovecot.sieve"), "keep;\n");
        PendingStore store = new PendingStore();
        store.active.complete(Optional.empty());
        List<String> names = new SieveChainLoader(settings(dms), store, Duration.ofSeconds(20))
                .withChain("user@example.com", Runnable::run, Function.identity()).toCompletableFuture()
                .get(1, TimeUnit.SECONDS)
                .stream().map(CompiledScript::name).toList();
        assertEquals(List.of("user@example.com.dovecot.sieve", "spam_to_junk"), names);
    }

    @Test
    void aStoreThatDoesNotAnswerFailsTheChainSoTheDeliveryIsRetried(@TempDir Path dms) {
        PendingStore store = new PendingStore();
        var chain = new SieveChainLoader(settings(dms), store, Duration.ofMillis(50))
                .withChain("user@example.com", Runnable::run, Function.identity()).toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> chain.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().startsWith("Sieve script store did not answer for user@example.com"),
                e.getCause().getMessage());
        assertFalse(store.active.isDone(), "the time-out does not complete the store's own answer");
    }

    @Test
    void aStoreThatFailsFailsTheChainWithItsReason(@TempDir Path dms) {
        PendingStore store = new PendingStore();
        store.active.completeExceptionally(new IllegalStateException("shard unavailable"));
        var chain = new SieveChainLoader(settings(dms), store, Duration.ofSeconds(20))
                .withChain("user@example.com", Runnable::run, Function.identity()).toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> chain.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("shard unavailable"), e.getCause().getMessage());
    }
}
