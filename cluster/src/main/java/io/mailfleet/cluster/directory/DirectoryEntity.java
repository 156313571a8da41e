package io.mailfleet.cluster.directory;

import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.directory.DirectoryException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The owner of one domain's directory records (docs/architecture.md, "Entities"). Validates changes against its own
 * state, persists them, and publishes the new state to the replicated read cache every node uses.
 */
public final class DirectoryEntity extends EventSourcedBehavior<DirectoryEntity.Command, DirectoryEntity.Changed, DirectoryState> {

    /** Sharding type of the directory entities; the entity id is the domain. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Directory");

    /** The domain id of the entity holding the global regular-expression aliases. */
    public static final String GLOBAL = "_global";

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryEntity.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(2);

    /** Messages the entity accepts. */
    public sealed interface Command permits ApplyChange, Wake, Published {
    }

    /** Apply a change; the reply says whether it was accepted. */
    public record ApplyChange(DirectoryChange change, ActorRef<ChangeResult> replyTo) implements Command {
    }

    /** Starts the entity (recovery then publication) without changing anything. */
    public record Wake() implements Command {
    }

    /** Internal: the replicated cache took (or timed out taking) a publication. */
    record Published(ActorRef<ChangeResult> replyTo, DirectoryState state) implements Command {
    }

    /** The outcome of {@link ApplyChange}; on success {@code state} is the domain's new state. */
    public record ChangeResult(boolean accepted, String code, String message, DirectoryState state) {
    }

    /** The one event: an accepted change (validated before it was persisted, so replay is total). */
    public record Changed(DirectoryChange change) {
    }

    private final String domain;
    private final ActorContext<Command> context;
    private final ReplicatorMessageAdapter<Command, LWWMap<String, DirectoryState>> replicator;
    private final SelfUniqueAddress self;

    private DirectoryEntity(ActorContext<Command> context, String domain,
                            ReplicatorMessageAdapter<Command, LWWMap<String, DirectoryState>> replicator) {
        super(PersistenceId.of(TYPE_KEY.name(), domain));
        this.context = context;
        this.domain = domain;
        this.replicator = replicator;
        this.self = DistributedData.get(context.getSystem()).selfUniqueAddress();
    }

    public static Behavior<Command> create(String domain) {
        return Behaviors.setup(ctx -> DistributedData.withReplicatorMessageAdapter(
                (ReplicatorMessageAdapter<Command, LWWMap<String, DirectoryState>> r) -> new DirectoryEntity(ctx, domain, r)));
    }

    @Override
    public DirectoryState emptyState() {
        return DirectoryState.empty(domain);
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(100, 2);
    }

    @Override
    public CommandHandler<Command, Changed, DirectoryState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(ApplyChange.class, this::onApply)
                .onCommand(Wake.class, (s, c) -> Effect().none())
                .onCommand(Published.class, this::onPublished)
                .build();
    }

    private Effect<Changed, DirectoryState> onApply(DirectoryState state, ApplyChange cmd) {
        boolean changes;
        try {
            changes = DirectoryRules.check(state, cmd.change());
        } catch (DirectoryException e) {
            return Effect().none().thenReply(cmd.replyTo(), s -> new ChangeResult(false, e.code(), e.getMessage(), null));
        }
        if (!changes) {
            return Effect().none().thenReply(cmd.replyTo(), s -> new ChangeResult(true, null, null, s));
        }
        return Effect().persist(new Changed(cmd.change())).thenRun(s -> {
            LOG.info("directory {}: {}", domain, describe(cmd.change()));
            publish(s.withVersion(lastSequenceNumber(context)), cmd.replyTo());
        });
    }

    private Effect<Changed, DirectoryState> onPublished(DirectoryState state, Published p) {
        if (p.replyTo() != null) {
            p.replyTo().tell(new ChangeResult(true, null, null, p.state()));
        }
        return Effect().none();
    }

    /** Writes to all reachable replicas; the sequence number is the clock, so a failover never regresses. */
    private void publish(DirectoryState versioned, ActorRef<ChangeResult> replyTo) {
        long version = versioned.version();
        LWWRegister.Clock<DirectoryState> clock = (current, value) -> version;
        replicator.askUpdate(
                ask -> new Replicator.Update<>(DirectoryCache.KEY, LWWMap.empty(),
                        new Replicator.WriteAll(PUBLISH_TIMEOUT), ask,
                        map -> map.put(self, domain, versioned, clock)),
                rsp -> new Published(replyTo, versioned));
    }

    @Override
    public SignalHandler<DirectoryState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), s -> publish(s.withVersion(lastSequenceNumber(context)), null))
                .build();
    }

    @Override
    public EventHandler<DirectoryState, Changed> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(Changed.class, (s, e) -> DirectoryRules.apply(s, e.change()))
                .build();
    }

    private static String describe(DirectoryChange c) {
        // Never log password hashes.
        if (c instanceof DirectoryChange.AddAccount) {
            return "account added " + c.address();
        } else if (c instanceof DirectoryChange.UpdatePassword) {
            return "password updated " + c.address();
        }
        return c.toString();
    }
}
