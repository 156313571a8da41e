package io.mailfleet.cluster.mailbox;

import io.mailfleet.cluster.cache.UsageCache;
import io.mailfleet.core.blob.BlobRef;
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
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One account's mailbox (DESIGN.md §2): folders, UIDs, per-message metadata and quota usage. Appends
 * are idempotent by delivery id, so a queue retry after a crash never duplicates a message.
 */
public final class MailboxEntity extends EventSourcedBehavior<MailboxEntity.Command, MailboxEntity.Event, MailboxState> {

    /** Sharding type; the entity id is the account address key. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Mailbox");

    /** The folders every account has, with their RFC 6154 special use; all subscribed (DMS layout). */
    public static final List<String[]> DEFAULT_FOLDERS = List.of(
            new String[] {"INBOX", null},
            new String[] {"Drafts", "\\Drafts"},
            new String[] {"Sent", "\\Sent"},
            new String[] {"Junk", "\\Junk"},
            new String[] {"Trash", "\\Trash"});

    /** Messages the entity accepts. */
    public sealed interface Command permits Deliver, GetStatus, ListMessages, UsagePublished {
    }

    /**
     * Append a delivered message to {@code folder} (created if missing). Answered with the uid; a
     * delivery id seen before is answered with the earlier uid and changes nothing.
     */
    public record Deliver(String deliveryId, String folder, BlobRef blob, Instant internalDate, Set<String> flags,
                          ActorRef<Delivered> replyTo) implements Command {
    }

    /** Reply to {@link Deliver}. */
    public record Delivered(String deliveryId, String folder, long uid, boolean duplicate) {
    }

    /** Ask for the folder list with counts. */
    public record GetStatus(ActorRef<Status> replyTo) implements Command {
    }

    /** Reply to {@link GetStatus}. */
    public record Status(List<FolderStatus> folders, long usedBytes, long highestModseq) {
    }

    /** One folder's counters. */
    public record FolderStatus(String name, String specialUse, boolean subscribed, long uidValidity, long uidNext,
                               int messages, long size) {
    }

    /** Ask for the messages of a folder in uid order. */
    public record ListMessages(String folder, ActorRef<MessageList> replyTo) implements Command {
    }

    /** Reply to {@link ListMessages}; empty for an unknown folder. */
    public record MessageList(String folder, List<MessageMeta> messages) {
    }

    /** Internal: the usage cache took an update. */
    record UsagePublished() implements Command {
    }

    /** Persisted events. */
    public sealed interface Event permits FolderCreated, MessageAppended {
    }

    /** A folder came into existence. */
    public record FolderCreated(String name, long uidValidity, String specialUse, boolean subscribed) implements Event {
    }

    /** A message was appended to a folder. */
    public record MessageAppended(String folder, MessageMeta message) implements Event {
    }

    private final String account;
    private final ActorContext<Command> context;
    private final ReplicatorMessageAdapter<Command, LWWMap<String, Long>> replicator;
    private final SelfUniqueAddress self;

    private MailboxEntity(ActorContext<Command> ctx, String account,
                          ReplicatorMessageAdapter<Command, LWWMap<String, Long>> replicator) {
        super(PersistenceId.of(TYPE_KEY.name(), account));
        this.context = ctx;
        this.account = account;
        this.replicator = replicator;
        this.self = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
    }

    public static Behavior<Command> create(String account) {
        return Behaviors.setup(ctx -> DistributedData.withReplicatorMessageAdapter(
                (ReplicatorMessageAdapter<Command, LWWMap<String, Long>> r) -> new MailboxEntity(ctx, account, r)));
    }

    @Override
    public MailboxState emptyState() {
        return new MailboxState();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(500, 2);
    }

    @Override
    public SnapshotAdapter<MailboxState> snapshotAdapter() {
        return new SnapshotAdapter<>() {
            @Override
            public Object toJournal(MailboxState state) {
                return state.toSnapshot();
            }

            @Override
            public MailboxState fromJournal(Object from) {
                return MailboxState.fromSnapshot((MailboxSnapshot) from);
            }
        };
    }

    @Override
    public CommandHandler<Command, Event, MailboxState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Deliver.class, this::onDeliver)
                .onCommand(GetStatus.class, (s, c) -> Effect().reply(c.replyTo(), status(s)))
                .onCommand(ListMessages.class, (s, c) -> {
                    FolderState f = s.folder(c.folder());
                    List<MessageMeta> list = f == null ? List.of() : List.copyOf(f.messages());
                    return Effect().reply(c.replyTo(), new MessageList(c.folder(), list));
                })
                .onCommand(UsagePublished.class, (s, c) -> Effect().none())
                .build();
    }

    private Effect<Event, MailboxState> onDeliver(MailboxState s, Deliver d) {
        Long known = s.deliveredUid(d.deliveryId());
        if (known != null) {
            return Effect().reply(d.replyTo(), new Delivered(d.deliveryId(), d.folder(), known, true));
        }
        List<Event> events = new ArrayList<>();
        long now = Instant.now().getEpochSecond();
        if (!s.isInitialised()) {
            long v = s.newUidValidity(now);
            for (String[] f : DEFAULT_FOLDERS) {
                events.add(new FolderCreated(f[0], v++, f[1], true));
            }
        }
        String folder = d.folder();
        boolean exists = s.folder(folder) != null
                || events.stream().anyMatch(e -> e instanceof FolderCreated fc && fc.name().equals(folder));
        if (!exists) {
            events.add(new FolderCreated(folder, s.newUidValidity(now) + events.size(), null, true));
        }
        FolderState f = s.folder(folder);
        long uid = f == null ? 1 : f.uidNext();
        long modseq = s.highestModseq() + 1;
        events.add(new MessageAppended(folder, new MessageMeta(uid, d.blob(), d.internalDate(), d.flags(), modseq,
                d.deliveryId())));
        return Effect().persist(events).thenRun(st -> {
            publishUsage(st.usedBytes());
            d.replyTo().tell(new Delivered(d.deliveryId(), folder, uid, false));
        });
    }

    private void publishUsage(long used) {
        long version = lastSequenceNumber(context);
        LWWRegister.Clock<Long> clock = (current, value) -> version;
        replicator.askUpdate(
                ask -> new Replicator.Update<>(UsageCache.KEY, LWWMap.empty(), Replicator.writeLocal(), ask,
                        map -> map.put(self, account, used, clock)),
                rsp -> new UsagePublished());
    }

    @Override
    public SignalHandler<MailboxState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), s -> {
                    if (s.isInitialised()) {
                        publishUsage(s.usedBytes());
                    }
                })
                .build();
    }

    private static Status status(MailboxState s) {
        List<FolderStatus> out = new ArrayList<>();
        for (FolderState f : s.folders().values()) {
            out.add(new FolderStatus(f.name(), f.specialUse(), f.subscribed(), f.uidValidity(), f.uidNext(), f.count(),
                    f.size()));
        }
        return new Status(out, s.usedBytes(), s.highestModseq());
    }

    @Override
    public EventHandler<MailboxState, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(FolderCreated.class, (s, e) -> {
                    s.createFolder(e.name(), e.uidValidity(), e.specialUse(), e.subscribed());
                    return s;
                })
                .onEvent(MessageAppended.class, (s, e) -> {
                    s.append(e.folder(), e.message());
                    return s;
                })
                .build();
    }
}
