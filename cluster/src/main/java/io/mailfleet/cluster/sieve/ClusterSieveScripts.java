package io.mailfleet.cluster.sieve;

import io.mailfleet.core.service.SieveScriptStore;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.japi.function.Function;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** {@link SieveScriptStore} on the sharded {@link SieveScriptsEntity}, one entity per account. */
public final class ClusterSieveScripts implements SieveScriptStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final ClusterSharding sharding;

    private ClusterSieveScripts(ClusterSharding sharding) {
        this.sharding = sharding;
    }

    /**
     * Registers the entity type on this node. Call it once per node with the same quota on every node:
     * a second registration is ignored by Pekko, so its quota would silently not apply. A running
     * server's registration belongs to {@link io.mailfleet.cluster.node.ClusterNode}.
     */
    public static ClusterSieveScripts start(ActorSystem<?> system, SieveQuota quota) {
        ClusterSharding sharding = ClusterSharding.get(system);
        sharding.init(Entity.of(SieveScriptsEntity.TYPE_KEY, ctx -> SieveScriptsEntity.create(ctx.getEntityId(),
                quota)));
        return new ClusterSieveScripts(sharding);
    }

    @Override
    public CompletionStage<Void> put(String account, String name, String source) {
        return ask(account, r -> new SieveScriptsEntity.Put(name, source, r));
    }

    @Override
    public CompletionStage<List<ScriptInfo>> list(String account) {
        return ask(account, SieveScriptsEntity.ListScripts::new);
    }

    @Override
    public CompletionStage<Optional<String>> get(String account, String name) {
        return ask(account, r -> new SieveScriptsEntity.Get(name, r));
    }

    @Override
    public CompletionStage<Void> delete(String account, String name) {
        return ask(account, r -> new SieveScriptsEntity.Delete(name, r));
    }

    @Override
    public CompletionStage<Void> rename(String account, String from, String to) {
        return ask(account, r -> new SieveScriptsEntity.Rename(from, to, r));
    }

    @Override
    public CompletionStage<Void> setActive(String account, String name) {
        return ask(account, r -> new SieveScriptsEntity.SetActive(name, r));
    }

    @Override
    public CompletionStage<Void> haveSpace(String account, String name, long size) {
        return ask(account, r -> new SieveScriptsEntity.HaveSpace(name, size, r));
    }

    @Override
    public CompletionStage<Optional<Script>> activeScript(String account) {
        return ask(account, SieveScriptsEntity.GetActive::new);
    }

    /** Asks the account's entity; a refusal completes exceptionally with its {@link Refused}. */
    private <T> CompletionStage<T> ask(String account,
            Function<ActorRef<SieveScriptsEntity.Result<T>>, SieveScriptsEntity.Command> msg) {
        String key = account.toLowerCase(Locale.ROOT);
        return sharding.entityRefFor(SieveScriptsEntity.TYPE_KEY, key).ask(msg, TIMEOUT)
                .thenApply(SieveScriptsEntity.Result::valueOrThrow);
    }
}
