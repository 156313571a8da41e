package io.mailfleet.cluster.mailbox;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.mailbox.AppendResult;
import io.mailfleet.core.mailbox.CopyResult;
import io.mailfleet.core.mailbox.ExpungeResult;
import io.mailfleet.core.mailbox.FlagOperation;
import io.mailfleet.core.mailbox.FlagUpdate;
import io.mailfleet.core.mailbox.FolderChanges;
import io.mailfleet.core.mailbox.FolderInfo;
import io.mailfleet.core.mailbox.FolderSnapshot;
import io.mailfleet.core.mailbox.MailboxEvent;
import io.mailfleet.core.mailbox.MailboxException;
import io.mailfleet.core.mailbox.StoreResult;
import io.mailfleet.core.mailbox.Usage;
import io.mailfleet.core.mime.MessageSummary;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * One account's mailbox (docs/architecture.md, "Entities"): folders, UIDs, per-message metadata and summaries, flags with
 * modseqs, expunge records and quota usage. Appends are idempotent by delivery id, so a queue retry
 * after a crash never duplicates a message. Every change is told to the node watchers registered with
 * {@link Watch} (one per node with sessions of the account), so sessions on any node see it at once;
 * registration is direct rather than through the receptionist, which needs seconds to learn a new
 * subscriber. The watcher set lives in memory: watchers re-register periodically (which also keeps
 * the entity from passivating) and resynchronise their sessions when {@link Watching#incarnation()}
 * changes, so a restart or a move to another node loses no update.
 *
 * <p>This file is the entity's protocol — commands, typed replies, persisted events — and its wiring;
 * the state is {@link MailboxState}, and each command family is handled by its own class:
 * {@link DeliveryCommands} (delivery batches, APPEND), {@link FolderCommands}, {@link FlagCommands},
 * {@link ExpungeCommands} (EXPUNGE, COPY, MOVE, purge), {@link SelectCommands} (SELECT, changes,
 * \\Recent) and {@link AccountQueries} (quota usage, status). What the entity tells others goes
 * through {@link MailboxWatchers}, {@link UsagePublisher} and {@link RecentClaims}.
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
    public sealed interface Command permits Deliver, DeliverBatch, DeliveriesWritten, GetStatus, ListMessages, UsagePublished, UsageDue, MailboxCommand,
            Watch, Unwatch, WatcherGone, FlushClaims, Stop, ListBlobIds, Purge {
    }

    /**
     * Expunge every message of every folder (the account was deleted with its mail); answered with
     * the number of messages removed. Their bytes are reclaimed by the next blob collection.
     */
    public record Purge(ActorRef<Purged> replyTo) implements Command {
    }

    /** Reply to {@link Purge}. */
    public record Purged(int messages) {
    }

    /** Ask for the blob id of every message in every folder (the mark phase of blob garbage collection). */
    public record ListBlobIds(ActorRef<io.mailfleet.cluster.blobgc.BlobIdList> replyTo) implements Command {
    }

    /** Register a node's watcher for change events; answered with {@link Watching}. Idempotent. */
    public record Watch(ActorRef<MailboxEvent> watcher, ActorRef<Watching> replyTo) implements Command {
    }

    /**
     * Reply to {@link Watch}: {@code incarnation} changes whenever the entity restarts; {@code entity} is
     * this incarnation, for the watcher to watch (it learns at once when the entity stops or moves).
     */
    public record Watching(String incarnation, ActorRef<Command> entity) {
    }

    /** Stop telling {@code watcher} about changes. */
    public record Unwatch(ActorRef<MailboxEvent> watcher) implements Command {
    }

    /** Internal: a watcher stopped or its node left. */
    record WatcherGone(ActorRef<MailboxEvent> watcher) implements Command {
    }

    /**
     * Commands of the IMAP service; all answered with a {@link Reply} of the type named by their
     * {@code replyTo}. {@code replyTo} accepts any wider reply type, as an actor reference is
     * contravariant: a caller that only inspects the code may ask with a plain {@code Reply}.
     */
    public sealed interface MailboxCommand extends Command permits ListFolders, CreateFolders, DeleteFolder,
            RenameFolder, Subscribe, Select, ClaimRecent, Append, AppendBatch, Store, Expunge, Copy, GetUsage, ExpungedSince,
            AttachSummaries, ChangesSince, ImportAppend, ImportAppendBatch, ImportUids, ImportModseq {
    }

    /**
     * Append a delivered message to {@code folder} (created if missing). Answered with the uid; a
     * delivery id seen before is answered with the earlier uid and changes nothing. {@code summary}
     * may be null: it is then computed on first use and attached.
     */
    public record Deliver(String deliveryId, String folder, BlobRef blob, Instant internalDate, Set<String> flags,
                          MessageSummary summary, ActorRef<Delivered> replyTo) implements Command {
    }

    /** Reply to {@link Deliver}. */
    public record Delivered(String deliveryId, String folder, long uid, boolean duplicate) {
    }

    /**
     * Internal: the deliveries {@link DeliveryBatcher} collected while the previous write was in flight,
     * written together in one journal write (local only, never sent between nodes).
     */
    record DeliverBatch(List<Deliver> deliveries) implements Command {
        DeliverBatch {
            deliveries = List.copyOf(deliveries);
        }
    }

    /** Internal: a {@link DeliverBatch} is written and answered; the batcher may hand over the next. */
    record DeliveriesWritten() implements Command {
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

    /** Internal: the throttling interval of usage publication is over; publish the current usage. */
    record UsageDue() implements Command {
    }

    /** Internal: write the \\Recent claims made since the last write. */
    record FlushClaims() implements Command {
    }

    /** Sharding's stop message (passivation, hand-off): pending claims are written before the entity stops. */
    public record Stop() implements Command {
    }

    /**
     * Answer to every {@link MailboxCommand}: the command's typed value, or an IMAP response code and
     * message. Each command names its value type in its {@code replyTo}, so the caller gets that type
     * back without a cast. The reply crosses the wire when the entity lives on another node (Kryo id
     * 3014; the generic parameter is erased, so its bytes are those of the former untyped reply).
     */
    public record Reply<T>(T value, String errorCode, String errorMessage) {
        static <T> Reply<T> ok(T value) {
            return new Reply<>(value, null, null);
        }

        static <T> Reply<T> error(String code, String message) {
            return new Reply<>(null, code, message);
        }

        /** Whether the command succeeded. */
        public boolean isOk() {
            return errorCode == null;
        }

        /** The value, or a {@link MailboxException} with the IMAP response code and message of a refusal. */
        public T valueOrThrow() {
            if (errorCode != null) {
                throw new MailboxException(errorCode, errorMessage);
            }
            return value;
        }
    }

    /** List folders, and subscribed names without a folder. */
    public record ListFolders(ActorRef<? super Reply<List<FolderInfo>>> replyTo) implements MailboxCommand {
    }

    /** Create folders, parents first; the last name must not exist yet. */
    public record CreateFolders(List<String> names, String specialUse, ActorRef<? super Reply<Void>> replyTo)
            implements MailboxCommand {
    }

    /** Delete a folder without children (INBOX cannot be deleted). */
    public record DeleteFolder(String name, char delimiter, ActorRef<? super Reply<Void>> replyTo)
            implements MailboxCommand {
    }

    /** Rename a folder with its children. */
    public record RenameFolder(String from, String to, char delimiter, ActorRef<? super Reply<Void>> replyTo)
            implements MailboxCommand {
    }

    /** Subscribe to a folder or unsubscribe from a name. */
    public record Subscribe(String name, boolean subscribed, ActorRef<? super Reply<Void>> replyTo)
            implements MailboxCommand {
    }

    /** Open a folder, claiming its \Recent messages when asked (SELECT) or not (EXAMINE). */
    public record Select(String folder, boolean claimRecent, ActorRef<? super Reply<FolderSnapshot>> replyTo)
            implements MailboxCommand {
    }

    /** Claim \Recent for uids; answered with the uids this caller got. */
    public record ClaimRecent(String folder, List<Long> uids, ActorRef<? super Reply<Set<Long>>> replyTo)
            implements MailboxCommand {
    }

    /** Append a message to an existing folder. */
    public record Append(String folder, BlobRef blob, Instant internalDate, Set<String> flags, MessageSummary summary,
                         ActorRef<? super Reply<AppendResult>> replyTo) implements MailboxCommand {
    }

    /**
     * Import: append a message to an existing folder with the uid it had in the source mailbox; refused
     * with {@code UIDTAKEN} when {@code uid} is below the folder's UIDNEXT. {@code modseq} is the
     * message's modseq in the source (kept, so CONDSTORE clients' caches stay valid), 0 for the
     * mailbox's next one.
     */
    public record ImportAppend(String folder, long uid, BlobRef blob, Instant internalDate, Set<String> flags,
                               MessageSummary summary, long modseq, ActorRef<? super Reply<AppendResult>> replyTo)
            implements MailboxCommand {

        /** An import append under the mailbox's next modseq. */
        public ImportAppend(String folder, long uid, BlobRef blob, Instant internalDate, Set<String> flags,
                            MessageSummary summary, ActorRef<? super Reply<AppendResult>> replyTo) {
            this(folder, uid, blob, internalDate, flags, summary, 0, replyTo);
        }
    }

    /**
     * Import: raise a folder's HIGHESTMODSEQ (and the mailbox's modseq counter) to at least the source
     * mailbox's, so every later change gets a modseq above what a client cached from the source;
     * answered with the folder's HIGHESTMODSEQ.
     */
    public record ImportModseq(String folder, long highestModseq, ActorRef<? super Reply<Long>> replyTo)
            implements MailboxCommand {
    }

    /**
     * Import: append several messages to an existing folder in order, in one journal write. Item
     * {@code i} keeps {@code uids.get(i)} when it is above 0 and not below the folder's UIDNEXT at its
     * turn (UIDs only grow); otherwise it gets the next free uid. Item {@code i} keeps {@code modseqs.get(i)}
     * (its modseq in the source, as {@link ImportAppend} does) when it is above 0 and the item keeps its
     * uid; otherwise it takes the mailbox's next modseq. Answered with every item's uid, in order.
     */
    public record ImportAppendBatch(String folder, List<BatchItem> items, List<Long> uids, List<Long> modseqs,
                                    ActorRef<? super Reply<List<AppendResult>>> replyTo) implements MailboxCommand {
        public ImportAppendBatch {
            items = List.copyOf(items);
            uids = List.copyOf(uids);
            modseqs = List.copyOf(modseqs);
            if (items.size() != uids.size() || items.size() != modseqs.size()) {
                throw new IllegalArgumentException(items.size() + " items but " + uids.size() + " uids and "
                        + modseqs.size() + " modseqs");
            }
        }

        /** A batch whose items all take the mailbox's next modseq. */
        public ImportAppendBatch(String folder, List<BatchItem> items, List<Long> uids,
                                 ActorRef<? super Reply<List<AppendResult>>> replyTo) {
            this(folder, items, uids, java.util.Collections.nCopies(items.size(), 0L), replyTo);
        }
    }

    /**
     * Import: take the source's UIDVALIDITY when the folder has no messages (0: keep) and raise UIDNEXT
     * to at least {@code uidNext} (0: leave it); answered with the folder's counters.
     */
    public record ImportUids(String folder, long uidValidity, long uidNext,
                             ActorRef<? super Reply<io.mailfleet.core.mailbox.FolderUids>> replyTo)
            implements MailboxCommand {
    }

    /** Append several messages atomically, uids consecutive (MULTIAPPEND). */
    public record AppendBatch(String folder, List<BatchItem> items,
                              ActorRef<? super Reply<List<AppendResult>>> replyTo) implements MailboxCommand {
        public AppendBatch {
            items = List.copyOf(items);
        }
    }

    /** One message of an {@link AppendBatch}; {@code summary} may be null. */
    public record BatchItem(BlobRef blob, Instant internalDate, Set<String> flags, MessageSummary summary) {
    }

    /** Change flags; {@code unchangedSince} negative when absent. */
    public record Store(String folder, List<Long> uids, FlagOperation op, Set<String> flags, long unchangedSince,
                        ActorRef<? super Reply<StoreResult>> replyTo) implements MailboxCommand {
    }

    /** Expunge \Deleted messages, all of them when {@code uids} is null. */
    public record Expunge(String folder, List<Long> uids, ActorRef<? super Reply<ExpungeResult>> replyTo)
            implements MailboxCommand {
    }

    /** Copy or move messages to another folder. */
    public record Copy(String from, List<Long> uids, String to, boolean move,
                       ActorRef<? super Reply<CopyResult>> replyTo) implements MailboxCommand {
    }

    /** Usage of the account, what its quota is measured against. */
    public record GetUsage(ActorRef<? super Reply<Usage>> replyTo) implements MailboxCommand {
    }

    /** Uids expunged above a modseq. */
    public record ExpungedSince(String folder, long modseq, ActorRef<? super Reply<List<Long>>> replyTo)
            implements MailboxCommand {
    }

    /** Changes of a folder after a modseq, claiming unseen \Recent when asked. */
    public record ChangesSince(String folder, long modseq, boolean claimRecent,
                               ActorRef<? super Reply<FolderChanges>> replyTo) implements MailboxCommand {
    }

    /** Store summaries computed outside the entity; answered with a null value. */
    public record AttachSummaries(String folder, Map<Long, MessageSummary> summaries,
                                  ActorRef<? super Reply<Void>> replyTo) implements MailboxCommand {
    }

    /** Persisted events. */
    public sealed interface Event permits FolderCreated, MessageAppended, FolderDeleted, FolderRenamed,
            SubscriptionChanged, FlagsUpdated, MessagesExpunged, SummariesAttached, RecentClaimed, MessagesAppended,
            UidValidityAdopted, UidNextRaised, HighestModseqRaised {
    }

    /** A folder came into existence. */
    public record FolderCreated(String name, long uidValidity, String specialUse, boolean subscribed) implements Event {
    }

    /** A message was appended to a folder (older journals; new appends write {@link MessagesAppended}). */
    public record MessageAppended(String folder, MessageMeta message) implements Event {
    }

    /**
     * Messages appended to a folder, with the summaries known at append time: one journal row for a
     * whole delivery, APPEND, MULTIAPPEND or COPY instead of one per message plus one for the summaries.
     */
    public record MessagesAppended(String folder, List<MessageMeta> messages, Map<Long, MessageSummary> summaries)
            implements Event {
        public MessagesAppended {
            messages = List.copyOf(messages);
            summaries = Map.copyOf(summaries);
        }
    }

    public record FolderDeleted(String name) implements Event {
    }

    /** {@code from} and its children now live under {@code to}; a renamed INBOX is recreated empty. */
    public record FolderRenamed(String from, String to, char delimiter, long inboxUidValidity) implements Event {
    }

    public record SubscriptionChanged(String name, boolean subscribed) implements Event {
    }

    public record FlagsUpdated(String folder, List<FlagUpdate> updates) implements Event {
    }

    public record MessagesExpunged(String folder, List<Long> uids, long modseq) implements Event {
    }

    public record SummariesAttached(String folder, Map<Long, MessageSummary> summaries) implements Event {
    }

    /** Uids up to {@code uid} were reported \Recent to a session. */
    public record RecentClaimed(String folder, long uid) implements Event {
    }

    /**
     * An import gave a folder without messages the UIDVALIDITY of the mailbox it came from: the folder
     * starts a new incarnation (UIDNEXT 1, no expunge records) under that value.
     */
    public record UidValidityAdopted(String folder, long uidValidity) implements Event {
    }

    /** An import raised a folder's UIDNEXT to the source's, so new mail continues its numbering. */
    public record UidNextRaised(String folder, long uidNext) implements Event {
    }

    /**
     * An import raised a folder's HIGHESTMODSEQ to the source's (Dovecot's), and with it the mailbox's
     * modseq counter, so changes after the import are above anything a client cached from the source.
     */
    public record HighestModseqRaised(String folder, long modseq) implements Event {
    }

    private final ActorContext<Command> context;
    private final MailboxWatchers watchers;
    private final UsagePublisher usage;
    private final RecentClaims claims;
    private final DeliveryCommands delivery;
    private final ImportCommands imports;
    private final FolderCommands folders;
    private final FlagCommands flags;
    private final ExpungeCommands expunge;
    private final SelectCommands select;
    private final AccountQueries queries;

    private MailboxEntity(ActorContext<Command> ctx, String account,
                          ReplicatorMessageAdapter<Command, LWWMap<String, Long>> replicator) {
        super(PersistenceId.of(TYPE_KEY.name(), account));
        this.context = ctx;
        this.watchers = new MailboxWatchers(ctx);
        this.usage = new UsagePublisher(account, ctx, replicator, () -> lastSequenceNumber(ctx));
        this.claims = new RecentClaims(ctx);
        this.delivery = new DeliveryCommands(Effect(), ctx.getSelf(), watchers, usage);
        this.imports = new ImportCommands(Effect(), watchers, usage);
        this.folders = new FolderCommands(Effect(), watchers, usage, claims);
        this.flags = new FlagCommands(Effect(), watchers);
        this.expunge = new ExpungeCommands(Effect(), watchers, usage);
        this.select = new SelectCommands(Effect(), claims);
        this.queries = new AccountQueries(Effect());
    }

    /** The entity of {@code account} behind its {@link DeliveryBatcher}. */
    public static Behavior<Command> create(String account) {
        return DeliveryBatcher.wrap(Behaviors.setup(ctx -> DistributedData.withReplicatorMessageAdapter(
                (ReplicatorMessageAdapter<Command, LWWMap<String, Long>> r) -> new MailboxEntity(ctx, account, r))));
    }

    @Override
    public MailboxState emptyState() {
        return new MailboxState();
    }

    @Override
    public boolean shouldSnapshot(MailboxState state, Event event, long sequenceNr) {
        return SnapshotPolicy.due(sequenceNr, state.messageCount());
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
                return MailboxState.fromSnapshot(from);
            }
        };
    }

    @Override
    public CommandHandler<Command, Event, MailboxState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(DeliverBatch.class, delivery::deliver)
                .onCommand(Append.class, initialised(delivery::append))
                .onCommand(AppendBatch.class, initialised(delivery::appendBatch))
                .onCommand(ImportAppend.class, initialised(imports::append))
                .onCommand(ImportAppendBatch.class, initialised(imports::appendBatch))
                .onCommand(ImportUids.class, initialised(imports::uids))
                .onCommand(ImportModseq.class, initialised(imports::modseq))
                .onCommand(ListFolders.class, initialised(folders::list))
                .onCommand(CreateFolders.class, initialised(folders::create))
                .onCommand(DeleteFolder.class, initialised(folders::delete))
                .onCommand(RenameFolder.class, initialised(folders::rename))
                .onCommand(Subscribe.class, initialised(folders::subscribe))
                .onCommand(Store.class, initialised(flags::store))
                .onCommand(Expunge.class, initialised(expunge::expunge))
                .onCommand(Copy.class, initialised(expunge::copy))
                .onCommand(Purge.class, expunge::purge)
                .onCommand(Select.class, initialised(select::select))
                .onCommand(ChangesSince.class, initialised(select::changesSince))
                .onCommand(ClaimRecent.class, initialised(select::claimRecent))
                .onCommand(ExpungedSince.class, initialised(select::expungedSince))
                .onCommand(AttachSummaries.class, initialised(select::attachSummaries))
                .onCommand(GetUsage.class, initialised(queries::usage))
                .onCommand(GetStatus.class, queries::status)
                .onCommand(ListMessages.class, queries::messages)
                .onCommand(ListBlobIds.class, queries::blobIds)
                .onCommand(Watch.class, (s, c) -> Effect().reply(c.replyTo(), watchers.watch(c.watcher())))
                .onCommand(Unwatch.class, (s, c) -> {
                    watchers.unwatch(c.watcher());
                    return Effect().none();
                })
                .onCommand(WatcherGone.class, (s, c) -> {
                    watchers.gone(c.watcher());
                    return Effect().none();
                })
                .onCommand(UsageDue.class, (s, c) -> {
                    usage.due(s.usedBytes());
                    return Effect().none();
                })
                .onCommand(UsagePublished.class, (s, c) -> Effect().none())
                .onCommand(FlushClaims.class, (s, c) -> {
                    List<Event> due = claims.flushDue();
                    return due.isEmpty() ? Effect().none() : Effect().persist(due);
                })
                .onCommand(Stop.class, (s, c) -> {
                    List<Event> pending = claims.take();
                    return pending.isEmpty() ? Effect().stop() : Effect().persist(pending).thenStop();
                })
                .build();
    }

    /**
     * {@code handler} for a {@link MailboxCommand}, which needs the default folders: a new mailbox
     * writes them first and then takes the command again against the initialised state.
     */
    private <C extends MailboxCommand> BiFunction<MailboxState, C, Effect<Event, MailboxState>> initialised(
            BiFunction<MailboxState, C, Effect<Event, MailboxState>> handler) {
        return (s, c) -> s.isInitialised() ? handler.apply(s, c)
                : Effect().persist(FolderCommands.defaultFolders(s)).thenRun(st -> context.getSelf().tell(c));
    }

    @Override
    public SignalHandler<MailboxState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), s -> {
                    if (s.isInitialised()) {
                        usage.changed(s.usedBytes());
                    }
                })
                .onSignal(SnapshotCompleted.class, (s, done) -> SnapshotPolicy.dropOlder(context.getSystem(), done.metadata()))
                .build();
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
                .onEvent(MessagesAppended.class, (s, e) -> {
                    for (MessageMeta m : e.messages()) {
                        s.append(e.folder(), m);
                    }
                    if (!e.summaries().isEmpty()) {
                        s.attachSummaries(e.folder(), e.summaries());
                    }
                    return s;
                })
                .onEvent(FolderDeleted.class, (s, e) -> {
                    s.deleteFolder(e.name());
                    return s;
                })
                .onEvent(FolderRenamed.class, (s, e) -> {
                    s.rename(e.from(), e.to(), e.delimiter(), e.inboxUidValidity());
                    return s;
                })
                .onEvent(SubscriptionChanged.class, (s, e) -> {
                    s.subscribe(e.name(), e.subscribed());
                    return s;
                })
                .onEvent(FlagsUpdated.class, (s, e) -> {
                    s.updateFlags(e.folder(), e.updates());
                    return s;
                })
                .onEvent(MessagesExpunged.class, (s, e) -> {
                    s.expunge(e.folder(), e.uids(), e.modseq());
                    return s;
                })
                .onEvent(SummariesAttached.class, (s, e) -> {
                    s.attachSummaries(e.folder(), e.summaries());
                    return s;
                })
                .onEvent(UidValidityAdopted.class, (s, e) -> {
                    s.adoptUidValidity(e.folder(), e.uidValidity());
                    return s;
                })
                .onEvent(UidNextRaised.class, (s, e) -> {
                    FolderState f = s.folder(e.folder());
                    if (f != null) {
                        f.raiseUidNext(e.uidNext());
                    }
                    return s;
                })
                .onEvent(HighestModseqRaised.class, (s, e) -> {
                    s.raiseModseq(e.folder(), e.modseq());
                    return s;
                })
                .onEvent(RecentClaimed.class, (s, e) -> {
                    FolderState f = s.folder(e.folder());
                    if (f != null) {
                        f.raiseRecentBoundary(e.uid());
                    }
                    return s;
                })
                .build();
    }
}
