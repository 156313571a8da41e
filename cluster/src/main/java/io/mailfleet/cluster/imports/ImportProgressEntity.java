package io.mailfleet.cluster.imports;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

import java.util.HashMap;
import java.util.Map;

/**
 * How far the IMAP imports into one account got, a sharded event-sourced entity keyed by the account: for
 * each remote folder (a key naming server, user and folder) the UIDVALIDITY seen and the highest UID up to
 * which every message is settled (imported, already there, or refused for good). Any node running a
 * re-run of the import reads the same marks, so it fetches only {@code UID n+1:*}.
 */
public final class ImportProgressEntity
        extends EventSourcedBehavior<ImportProgressEntity.Command, ImportProgressEntity.Advanced, ImportProgressState> {

    /** Sharding type; the entity id is the lower-case account address. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "ImportProgress");

    /** Messages the entity accepts. */
    public sealed interface Command permits GetMarks, Advance {
    }

    /** The account's marks. */
    public record GetMarks(ActorRef<Marks> replyTo) implements Command {
    }

    /**
     * Every message of {@code folder} up to {@code uid} under {@code uidValidity} is settled. A lower UID
     * under the same UIDVALIDITY changes nothing; another UIDVALIDITY replaces the mark.
     */
    public record Advance(String folder, long uidValidity, long uid, ActorRef<Marks> replyTo) implements Command {
    }

    /** Reply: the account's marks by folder key. */
    public record Marks(Map<String, Mark> marks) {
        public Marks {
            marks = Map.copyOf(marks);
        }
    }

    /** Up to {@code uid} under {@code uidValidity}. */
    public record Mark(long uidValidity, long uid) {
    }

    /** The persisted event: a folder's mark moved. */
    public record Advanced(String folder, long uidValidity, long uid) {
    }

    private ImportProgressEntity(String account) {
        super(PersistenceId.of(TYPE_KEY.name(), account));
    }

    public static Behavior<Command> create(String account) {
        return Behaviors.setup(ctx -> new ImportProgressEntity(account));
    }

    @Override
    public ImportProgressState emptyState() {
        return new ImportProgressState(Map.of());
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(100, 1);
    }

    @Override
    public CommandHandler<Command, Advanced, ImportProgressState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(GetMarks.class, (s, c) -> Effect().reply(c.replyTo(), new Marks(s.marks())))
                .onCommand(Advance.class, (s, c) -> {
                    Mark now = s.marks().get(c.folder());
                    if (now != null && now.uidValidity() == c.uidValidity() && now.uid() >= c.uid()) {
                        return Effect().reply(c.replyTo(), new Marks(s.marks()));
                    }
                    return Effect().persist(new Advanced(c.folder(), c.uidValidity(), c.uid()))
                            .thenReply(c.replyTo(), st -> new Marks(st.marks()));
                })
                .build();
    }

    @Override
    public EventHandler<ImportProgressState, Advanced> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(Advanced.class, (s, e) -> {
                    Map<String, Mark> next = new HashMap<>(s.marks());
                    next.put(e.folder(), new Mark(e.uidValidity(), e.uid()));
                    return new ImportProgressState(next);
                })
                .build();
    }
}
