package io.mailfleet.cluster.sieve;

import io.mailfleet.core.service.SieveScriptStore.Refused;
import io.mailfleet.core.service.SieveScriptStore.Script;
import io.mailfleet.core.service.SieveScriptStore.ScriptInfo;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Sieve scripts of one account: scripts by name, the active one and the per-account quota.
 * They live in this sharded, event-sourced entity (same account key, docs/architecture.md, "Entities")
 * rather than in the {@code Mailbox} entity, which gives the same guarantee — one owner in the
 * cluster, so every node sees the same scripts — without coupling script changes to the mailbox's
 * journal and snapshots.
 */
public final class SieveScriptsEntity
        extends EventSourcedBehavior<SieveScriptsEntity.Command, SieveScriptsEntity.Event, SieveScriptsState> {

    /** Sharding type; the entity id is the account address. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "SieveScripts");

    /** Messages the entity accepts; each is answered with a {@link Result} of the type its {@code replyTo} names. */
    public sealed interface Command permits Put, ListScripts, Get, Delete, Rename, SetActive, HaveSpace, GetActive {
    }

    /** Store or replace a script (answer: null). */
    public record Put(String name, String source, ActorRef<Result<Void>> replyTo) implements Command {
    }

    /** Answer: the scripts sorted by name. */
    public record ListScripts(ActorRef<Result<List<ScriptInfo>>> replyTo) implements Command {
    }

    /** Answer: the script's source, if there is one of that name. */
    public record Get(String name, ActorRef<Result<Optional<String>>> replyTo) implements Command {
    }

    public record Delete(String name, ActorRef<Result<Void>> replyTo) implements Command {
    }

    public record Rename(String from, String to, ActorRef<Result<Void>> replyTo) implements Command {
    }

    /** Activate {@code name}, or deactivate with the empty name. */
    public record SetActive(String name, ActorRef<Result<Void>> replyTo) implements Command {
    }

    /** Would a script of {@code size} octets named {@code name} fit (answer: null)? */
    public record HaveSpace(String name, long size, ActorRef<Result<Void>> replyTo) implements Command {
    }

    /** Answer: the active script, if any. */
    public record GetActive(ActorRef<Result<Optional<Script>>> replyTo) implements Command {
    }

    /**
     * The command's typed value, or a ManageSieve response code and message. Crosses the wire when the
     * entity lives on another node (Kryo id 5009; the generic parameter is erased, so its bytes are
     * those of the former untyped result).
     */
    public record Result<T>(T value, String code, String message) {
        static <T> Result<T> ok(T value) {
            return new Result<>(value, null, null);
        }

        static <T> Result<T> refused(String code, String message) {
            return new Result<>(null, code, message);
        }

        /** The value, or {@link Refused} with the response code and message of a refusal. */
        public T valueOrThrow() {
            if (code != null) {
                throw new Refused(code, message);
            }
            return value;
        }
    }

    /** Persisted events. */
    public sealed interface Event permits ScriptPut, ScriptDeleted, ScriptRenamed, ActiveChanged {
    }

    public record ScriptPut(String name, String source) implements Event {
    }

    public record ScriptDeleted(String name) implements Event {
    }

    public record ScriptRenamed(String from, String to) implements Event {
    }

    /** The active script is now {@code name} ({@code ""}: none). */
    public record ActiveChanged(String name) implements Event {
    }

    private final SieveQuota quota;

    private SieveScriptsEntity(String account, SieveQuota quota) {
        super(PersistenceId.of(TYPE_KEY.name(), account));
        this.quota = quota;
    }

    public static Behavior<Command> create(String account, SieveQuota quota) {
        return new SieveScriptsEntity(account, quota);
    }

    @Override
    public SieveScriptsState emptyState() {
        return SieveScriptsState.empty();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(50, 2);
    }

    @Override
    public CommandHandler<Command, Event, SieveScriptsState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Put.class, this::onPut)
                .onCommand(ListScripts.class, (s, c) -> Effect().reply(c.replyTo(), Result.ok(infos(s))))
                .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(),
                        Result.ok(Optional.ofNullable(s.scripts().get(c.name())))))
                .onCommand(Delete.class, this::onDelete)
                .onCommand(Rename.class, this::onRename)
                .onCommand(SetActive.class, this::onSetActive)
                .onCommand(HaveSpace.class, (s, c) -> {
                    Result<Void> refusal = checkSpace(s, c.name(), c.size());
                    return Effect().reply(c.replyTo(), refusal != null ? refusal : Result.<Void>ok(null));
                })
                .onCommand(GetActive.class, (s, c) -> Effect().reply(c.replyTo(), Result.ok(s.active().isEmpty()
                        ? Optional.empty()
                        : Optional.of(new Script(s.active(), s.scripts().get(s.active()))))))
                .build();
    }

    private static List<ScriptInfo> infos(SieveScriptsState s) {
        List<ScriptInfo> out = new ArrayList<>();
        s.scripts().keySet().stream().sorted().forEach(n -> out.add(new ScriptInfo(n, n.equals(s.active()))));
        return List.copyOf(out);
    }

    private Result<Void> checkSpace(SieveScriptsState s, String name, long size) {
        if (!s.scripts().containsKey(name) && s.scripts().size() >= quota.maxScripts()) {
            return Result.refused("QUOTA/MAXSCRIPTS", "Script count quota exceeded (" + quota.maxScripts()
                    + " scripts allowed).");
        }
        if (size < 0 || s.totalBytesWithout(name) + size > quota.maxTotalBytes()) {
            return Result.refused("QUOTA/MAXSIZE", "Script storage quota exceeded (" + quota.maxTotalBytes()
                    + " octets allowed in total).");
        }
        return null;
    }

    private Effect<Event, SieveScriptsState> onPut(SieveScriptsState s, Put c) {
        if (c.name() == null || c.name().isEmpty()) {
            return Effect().reply(c.replyTo(), Result.refused("", "Script name is empty."));
        }
        Result<Void> refusal = checkSpace(s, c.name(), SieveScriptsState.bytes(c.source()));
        if (refusal != null) {
            return Effect().reply(c.replyTo(), refusal);
        }
        return Effect().persist(new ScriptPut(c.name(), c.source()))
                .thenReply(c.replyTo(), st -> Result.<Void>ok(null));
    }

    private Effect<Event, SieveScriptsState> onDelete(SieveScriptsState s, Delete c) {
        if (!s.scripts().containsKey(c.name())) {
            return Effect().reply(c.replyTo(), Result.refused("NONEXISTENT", "There is no script named " + c.name()
                    + "."));
        }
        if (c.name().equals(s.active())) {
            return Effect().reply(c.replyTo(), Result.refused("ACTIVE", "Cannot delete the active script."));
        }
        return Effect().persist(new ScriptDeleted(c.name())).thenReply(c.replyTo(), st -> Result.<Void>ok(null));
    }

    private Effect<Event, SieveScriptsState> onRename(SieveScriptsState s, Rename c) {
        if (!s.scripts().containsKey(c.from())) {
            return Effect().reply(c.replyTo(), Result.refused("NONEXISTENT", "There is no script named " + c.from()
                    + "."));
        }
        if (s.scripts().containsKey(c.to())) {
            return Effect().reply(c.replyTo(), Result.refused("ALREADYEXISTS", "A script named " + c.to()
                    + " already exists."));
        }
        if (c.to() == null || c.to().isEmpty()) {
            return Effect().reply(c.replyTo(), Result.refused("", "Script name is empty."));
        }
        return Effect().persist(new ScriptRenamed(c.from(), c.to()))
                .thenReply(c.replyTo(), st -> Result.<Void>ok(null));
    }

    private Effect<Event, SieveScriptsState> onSetActive(SieveScriptsState s, SetActive c) {
        String name = c.name() == null ? "" : c.name();
        if (!name.isEmpty() && !s.scripts().containsKey(name)) {
            return Effect().reply(c.replyTo(), Result.refused("NONEXISTENT", "There is no script named " + name
                    + "."));
        }
        if (name.equals(s.active())) {
            return Effect().reply(c.replyTo(), Result.ok(null));
        }
        return Effect().persist(new ActiveChanged(name)).thenReply(c.replyTo(), st -> Result.<Void>ok(null));
    }

    @Override
    public EventHandler<SieveScriptsState, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(ScriptPut.class, (s, e) -> s.put(e.name(), e.source()))
                .onEvent(ScriptDeleted.class, (s, e) -> s.delete(e.name()))
                .onEvent(ScriptRenamed.class, (s, e) -> s.rename(e.from(), e.to()))
                .onEvent(ActiveChanged.class, (s, e) -> s.activate(e.name()))
                .build();
    }
}
