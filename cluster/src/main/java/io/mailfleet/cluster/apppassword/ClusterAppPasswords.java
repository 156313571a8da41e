package io.mailfleet.cluster.apppassword;

import io.mailfleet.core.auth.AppPassword;
import io.mailfleet.core.service.AppPasswordStore;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

/** {@link AppPasswordStore} on the sharded {@link AppPasswordsEntity}. */
public final class ClusterAppPasswords implements AppPasswordStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ClusterSharding sharding;

    private ClusterAppPasswords(ClusterSharding sharding) {
        this.sharding = sharding;
    }

    /** Registers the entity type on this node. */
    public static ClusterAppPasswords start(ActorSystem<?> system) {
        ClusterSharding sharding = ClusterSharding.get(system);
        sharding.init(Entity.of(AppPasswordsEntity.TYPE_KEY, ctx -> AppPasswordsEntity.create(ctx.getEntityId())));
        return new ClusterAppPasswords(sharding);
    }

    private EntityRef<AppPasswordsEntity.Command> ref(String account) {
        return sharding.entityRefFor(AppPasswordsEntity.TYPE_KEY, account.toLowerCase(Locale.ROOT));
    }

    @Override
    public CompletionStage<List<AppPassword>> list(String account) {
        return ref(account).<AppPasswordsEntity.Passwords>ask(AppPasswordsEntity.ListPasswords::new, TIMEOUT)
                .thenApply(AppPasswordsEntity.Passwords::passwords);
    }

    @Override
    public CompletionStage<Boolean> add(String account, AppPassword password) {
        return ref(account).<AppPasswordsEntity.Done>ask(r -> new AppPasswordsEntity.AddPassword(password, r), TIMEOUT)
                .thenApply(d -> d.changed() > 0);
    }

    @Override
    public CompletionStage<Boolean> revoke(String account, String name) {
        return ref(account).<AppPasswordsEntity.Done>ask(r -> new AppPasswordsEntity.RevokePassword(name, r), TIMEOUT)
                .thenApply(d -> d.changed() > 0);
    }

    @Override
    public CompletionStage<Integer> revokeAll(String account) {
        return ref(account).<AppPasswordsEntity.Done>ask(AppPasswordsEntity.RevokeAll::new, TIMEOUT)
                .thenApply(AppPasswordsEntity.Done::changed);
    }
}
