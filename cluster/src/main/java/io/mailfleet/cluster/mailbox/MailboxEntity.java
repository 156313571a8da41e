package io.mailfleet.cluster.mailbox;

import io.mailfleet.cluster.cache.UsageCache;
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
import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.core.mailbox.StoreResult;
import io.mailfleet.core.mailbox.Usage;
import io.mailfleet.core.mime.MessageSummary;
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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * One account's mailbox (docs/architecture.md, "Entities"): folders, UIDs, per-message metadata and summaries, flags with
 * modseqs, expunge records and quota usage. Appends are idempotent by delivery id, so a queue retry
 * after a crash never duplicates a message. Every change is told to the node watchers registered with
 * {@link Watch} (one per node with sessions of the account), so sessions on any node see it at once;
 * registration is direct rather than through the receptionist, which needs seconds to learn a new
 * subscriber. The watcher set lives in memory: watchers re-register periodically (which also keeps
 * the entity from passivating) and resynchronise their sessions when {@link Watching#incarnation()}
 * changes, so a restart or a move to another node loses no update.
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

    /** Shortest time between two quota usage publications of one mailbox. */
    static final Duration USAGE_INTERVAL = Duration.ofSeconds(1);

    /** How long a \\Recent claim may stay unwritten (see {@link #claim}). */
    static final Duration CLAIM_FLUSH_DELAY = Duration.ofSeconds(5);

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

    /** Commands of the IMAP service; all answered with a {@link Reply}. */
    public sealed interface MailboxCommand extends Command permits ListFolders, CreateFolders, DeleteFolder,
            RenameFolder, Subscribe, Select, ClaimRecent, Append, AppendBatch, Store, Expunge, Copy, GetUsage, ExpungedSince,
            AttachSummaries, ChangesSince {
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

    /** Answer to every {@link MailboxCommand}: a value, or an IMAP response code and message. */
    public record Reply(Object value, String errorCode, String errorMessage) {
        static Reply ok(Object value) {
            return new Reply(value, null, null);
        }

        static Reply error(String code, String message) {
            return new Reply(null, code, message);
        }
    }

    /** List folders ({@code List<FolderInfo>}). */
    public record ListFolders(ActorRef<Reply> replyTo) implements MailboxCommand {
    }

    /** Create folders, parents first; the last name must not exist yet. */
    public record CreateFolders(List<String> names, String specialUse, ActorRef<Reply> replyTo) implements MailboxCommand {
    }

    public record DeleteFolder(String name, char delimiter, ActorRef<Reply> replyTo) implements MailboxCommand {
    }

    public record RenameFolder(String from, String to, char delimiter, ActorRef<Reply> replyTo) implements MailboxCommand {
    }

    public record Subscribe(String name, boolean subscribed, ActorRef<Reply> replyTo) implements MailboxCommand {
    }

    /** Open a folder ({@link FolderSnapshot}). */
    public record Select(String folder, boolean claimRecent, ActorRef<Reply> replyTo) implements MailboxCommand {
    }

    /** Claim \Recent for uids ({@code Set<Long>}). */
    public record ClaimRecent(String folder, List<Long> uids, ActorRef<Reply> replyTo) implements MailboxCommand {
    }

    /** Append a message ({@link AppendResult}). */
    public record Append(String folder, BlobRef blob, Instant internalDate, Set<String> flags, MessageSummary summary,
                         ActorRef<Reply> replyTo) implements MailboxCommand {
    }

    /** Append several messages atomically, uids consecutive ({@code List<AppendResult>}, MULTIAPPEND). */
    public record AppendBatch(String folder, List<BatchItem> items, ActorRef<Reply> replyTo) implements MailboxCommand {
        public AppendBatch {
            items = List.copyOf(items);
        }
    }

    /** One message of an {@link AppendBatch}; {@code summary} may be null. */
    public record BatchItem(BlobRef blob, Instant internalDate, Set<String> flags, MessageSummary summary) {
    }

    /** Change flags ({@link StoreResult}); {@code unchangedSince} negative when absent. */
    public record Store(String folder, List<Long> uids, FlagOperation op, Set<String> flags, long unchangedSince,
                        ActorRef<Reply> replyTo) implements MailboxCommand {
    }

    /** Expunge \Deleted messages, all of them when {@code uids} is null ({@link ExpungeResult}). */
    public record Expunge(String folder, List<Long> uids, ActorRef<Reply> replyTo) implements MailboxCommand {
    }

    /** Copy or move ({@link CopyResult}). */
    public record Copy(String from, List<Long> uids, String to, boolean move, ActorRef<Reply> replyTo)
            implements MailboxCommand {
    }

    /** Usage of the account ({@link Usage}). */
    public record GetUsage(ActorRef<Reply> replyTo) implements MailboxCommand {
    }

    /** Uids expunged above a modseq ({@code List<Long>}). */
    public record ExpungedSince(String folder, long modseq, ActorRef<Reply> replyTo) implements MailboxCommand {
    }

    /** Changes of a folder after a modseq ({@link FolderChanges}), claiming unseen \Recent when asked. */
    public record ChangesSince(String folder, long modseq, boolean claimRecent, ActorRef<Reply> replyTo)
            implements MailboxCommand {
    }

    /** Store summaries computed outside the entity; answered with null. */
    public record AttachSummaries(String folder, Map<Long, MessageSummary> summaries, ActorRef<Reply> replyTo)
            implements MailboxCommand {
    }

    /** Persisted events. */
    public sealed interface Event permits FolderCreated, MessageAppended, FolderDeleted, FolderRenamed,
            SubscriptionChanged, FlagsUpdated, MessagesExpunged, SummariesAttached, RecentClaimed, MessagesAppended {
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

    private final String account;
    private final ActorContext<Command> context;
    private final ReplicatorMessageAdapter<Command, LWWMap<String, Long>> replicator;
    private final SelfUniqueAddress self;
    private final Set<ActorRef<MailboxEvent>> watchers = new HashSet<>();
    private final String incarnation = UUID.randomUUID().toString();
    private long lastUsageNanos = System.nanoTime() - USAGE_INTERVAL.toNanos();
    private boolean usageScheduled;
    /** Folder to highest uid claimed as \\Recent but not yet written to the journal. */
    private final Map<String, Long> pendingClaims = new HashMap<>();
    private boolean claimFlushScheduled;

    private MailboxEntity(ActorContext<Command> ctx, String account,
                          ReplicatorMessageAdapter<Command, LWWMap<String, Long>> replicator) {
        super(PersistenceId.of(TYPE_KEY.name(), account));
        this.context = ctx;
        this.account = account;
        this.replicator = replicator;
        this.self = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
    }

    public static Behavior<Command> create(String account) {
        return DeliveryBatcher.wrap(Behaviors.setup(ctx -> DistributedData.withReplicatorMessageAdapter(
                (ReplicatorMessageAdapter<Command, LWWMap<String, Long>> r) -> new MailboxEntity(ctx, account, r))));
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
                return MailboxState.fromSnapshot(from);
            }
        };
    }

    @Override
    public CommandHandler<Command, Event, MailboxState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(DeliverBatch.class, this::onDeliverBatch)
                .onCommand(GetStatus.class, (s, c) -> Effect().reply(c.replyTo(), status(s)))
                .onCommand(ListBlobIds.class, (s, c) -> Effect().reply(c.replyTo(), blobIds(s)))
                .onCommand(Purge.class, this::onPurge)
                .onCommand(ListMessages.class, (s, c) -> {
                    FolderState f = s.folder(c.folder());
                    List<MessageMeta> list = f == null ? List.of() : List.copyOf(f.messages());
                    return Effect().reply(c.replyTo(), new MessageList(c.folder(), list));
                })
                .onCommand(UsagePublished.class, (s, c) -> Effect().none())
                .onCommand(FlushClaims.class, (s, c) -> {
                    claimFlushScheduled = false;
                    List<Event> claims = takeClaims();
                    return claims.isEmpty() ? Effect().none() : Effect().persist(claims);
                })
                .onCommand(Stop.class, (s, c) -> {
                    List<Event> claims = takeClaims();
                    return claims.isEmpty() ? Effect().stop() : Effect().persist(claims).thenStop();
                })
                .onCommand(UsageDue.class, (s, c) -> {
                    usageScheduled = false;
                    sendUsage(s.usedBytes());
                    return Effect().none();
                })
                .onCommand(Watch.class, (s, c) -> {
                    if (watchers.add(c.watcher())) {
                        context.watchWith(c.watcher(), new WatcherGone(c.watcher()));
                    }
                    return Effect().reply(c.replyTo(), new Watching(incarnation, context.getSelf()));
                })
                .onCommand(Unwatch.class, (s, c) -> {
                    if (watchers.remove(c.watcher())) {
                        context.unwatch(c.watcher());
                    }
                    return Effect().none();
                })
                .onCommand(WatcherGone.class, (s, c) -> {
                    watchers.remove(c.watcher());
                    return Effect().none();
                })
                .onCommand(MailboxCommand.class, this::onMailboxCommand)
                .build();
    }

    private Effect<Event, MailboxState> onMailboxCommand(MailboxState s, MailboxCommand c) {
        if (!s.isInitialised()) {
            // Defaults first, then the command again against the initialised state.
            return Effect().persist(defaultFolders(s)).thenRun(st -> context.getSelf().tell(c));
        }
        if (c instanceof ListFolders l) {
            return Effect().reply(l.replyTo(), Reply.ok(folderInfos(s)));
        } else if (c instanceof CreateFolders cf) {
            return onCreate(s, cf);
        } else if (c instanceof DeleteFolder d) {
            return onDelete(s, d);
        } else if (c instanceof RenameFolder r) {
            return onRename(s, r);
        } else if (c instanceof Subscribe sub) {
            FolderState f = s.folder(sub.name());
            boolean subscribed = f != null ? f.subscribed() : s.subscriptionsWithoutFolder().contains(sub.name());
            if (f == null && sub.subscribed() && !subscribed) {
                return Effect().reply(sub.replyTo(), Reply.error("NONEXISTENT", "Mailbox doesn't exist."));
            }
            if (subscribed == sub.subscribed()) {
                return Effect().reply(sub.replyTo(), Reply.ok(null));
            }
            return Effect().persist(new SubscriptionChanged(sub.name(), sub.subscribed()))
                    .thenReply(sub.replyTo(), st -> Reply.ok(null));
        } else if (c instanceof Select sel) {
            return onSelect(s, sel);
        } else if (c instanceof ClaimRecent cr) {
            return onClaimRecent(s, cr);
        } else if (c instanceof Append a) {
            return onAppend(s, a);
        } else if (c instanceof AppendBatch b) {
            return onAppendBatch(s, b);
        } else if (c instanceof Store st) {
            return onStore(s, st);
        } else if (c instanceof Expunge e) {
            return onExpunge(s, e);
        } else if (c instanceof Copy cp) {
            return onCopy(s, cp);
        } else if (c instanceof GetUsage u) {
            return Effect().reply(u.replyTo(), Reply.ok(new Usage(s.usedBytes(), s.messageCount())));
        } else if (c instanceof ExpungedSince es) {
            FolderState f = s.folder(es.folder());
            List<Long> out = f == null ? List.of() : f.expungedSince(es.modseq());
            return Effect().reply(es.replyTo(), Reply.ok(out));
        } else if (c instanceof ChangesSince cs) {
            return onChangesSince(s, cs);
        } else if (c instanceof AttachSummaries as) {
            FolderState f = s.folder(as.folder());
            Map<Long, MessageSummary> missing = new HashMap<>();
            if (f != null) {
                as.summaries().forEach((uid, sum) -> {
                    if (f.message(uid) != null && f.summary(uid) == null && sum != null) {
                        missing.put(uid, sum);
                    }
                });
            }
            if (missing.isEmpty()) {
                return Effect().reply(as.replyTo(), Reply.ok(null));
            }
            return Effect().persist(new SummariesAttached(as.folder(), missing))
                    .thenReply(as.replyTo(), st -> Reply.ok(null));
        }
        throw new IllegalStateException("unhandled command " + c);
    }

    private List<Event> defaultFolders(MailboxState s) {
        List<Event> events = new ArrayList<>();
        long v = s.newUidValidity(Instant.now().getEpochSecond());
        for (String[] f : DEFAULT_FOLDERS) {
            events.add(new FolderCreated(f[0], v++, f[1], true));
        }
        return events;
    }

    private Effect<Event, MailboxState> onCreate(MailboxState s, CreateFolders c) {
        List<Event> events = new ArrayList<>();
        long v = s.newUidValidity(Instant.now().getEpochSecond());
        for (int i = 0; i < c.names().size(); i++) {
            String name = c.names().get(i);
            boolean last = i == c.names().size() - 1;
            if (s.folder(name) != null) {
                if (last) {
                    return Effect().reply(c.replyTo(), Reply.error("ALREADYEXISTS", "Mailbox already exists"));
                }
                continue;
            }
            events.add(new FolderCreated(name, v++, last ? c.specialUse() : null, false));
        }
        return Effect().persist(events).thenReply(c.replyTo(), st -> Reply.ok(null));
    }

    private Effect<Event, MailboxState> onDelete(MailboxState s, DeleteFolder d) {
        if ("INBOX".equals(d.name())) {
            return Effect().reply(d.replyTo(), Reply.error("CANNOT", "INBOX can't be deleted."));
        }
        if (s.folder(d.name()) == null) {
            return Effect().reply(d.replyTo(), Reply.error("NONEXISTENT", "Mailbox doesn't exist."));
        }
        String prefix = d.name() + d.delimiter();
        for (String n : s.folders().keySet()) {
            if (n.startsWith(prefix)) {
                return Effect().reply(d.replyTo(), Reply.error("INUSE", "Mailbox has children, delete them first"));
            }
        }
        // Claims are written first: they name folders, and the name may be reused after this.
        List<Event> events = takeClaims();
        events.add(new FolderDeleted(d.name()));
        return Effect().persist(events).thenRun(st -> {
            publish(new MailboxEvent.FolderRemoved(d.name()));
            publishUsage(st.usedBytes());
            d.replyTo().tell(Reply.ok(null));
        });
    }

    private Effect<Event, MailboxState> onRename(MailboxState s, RenameFolder r) {
        if (s.folder(r.from()) == null) {
            return Effect().reply(r.replyTo(), Reply.error("NONEXISTENT", "Mailbox doesn't exist."));
        }
        if (s.folder(r.to()) != null) {
            return Effect().reply(r.replyTo(), Reply.error("ALREADYEXISTS", "Target mailbox already exists"));
        }
        if (r.to().startsWith(r.from() + r.delimiter()) || "INBOX".equals(r.to())) {
            return Effect().reply(r.replyTo(), Reply.error("CANNOT", "Can't rename mailbox under itself"));
        }
        List<String> moved = new ArrayList<>();
        for (String n : s.folders().keySet()) {
            if (n.equals(r.from()) || n.startsWith(r.from() + r.delimiter())) {
                moved.add(n);
            }
        }
        List<Event> events = takeClaims();
        long v = s.newUidValidity(Instant.now().getEpochSecond());
        String[] parts = r.to().split(java.util.regex.Pattern.quote(String.valueOf(r.delimiter())));
        StringBuilder parent = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            parent.append(i == 0 ? "" : String.valueOf(r.delimiter())).append(parts[i]);
            String p = parent.toString();
            if (s.folder(p) == null && !moved.contains(p)) {
                events.add(new FolderCreated(p, v++, null, false));
            }
        }
        events.add(new FolderRenamed(r.from(), r.to(), r.delimiter(), v));
        return Effect().persist(events).thenRun(st -> {
            moved.forEach(n -> publish(new MailboxEvent.FolderRemoved(n)));
            r.replyTo().tell(Reply.ok(null));
        });
    }

    private static List<MessageView> views(FolderState f, Iterable<MessageMeta> metas) {
        List<MessageView> out = new ArrayList<>();
        for (MessageMeta m : metas) {
            out.add(new MessageView(m.uid(), m.modseq(), m.flags(), m.internalDate(), m.blob(), f.summary(m.uid())));
        }
        return out;
    }

    private Effect<Event, MailboxState> onSelect(MailboxState s, Select c) {
        FolderState f = s.folder(c.folder());
        if (f == null) {
            return Effect().reply(c.replyTo(), Reply.error("NONEXISTENT", "Mailbox doesn't exist."));
        }
        List<MessageView> messages = views(f, f.messages());
        Set<Long> recent = new HashSet<>(f.messageMap().tailMap(f.recentBoundary(), false).keySet());
        // EXAMINE (no claim) still reports the messages that are \Recent, without clearing it (RFC 3501 §6.3.2)
        FolderSnapshot snap = new FolderSnapshot(f.name(), f.uidValidity(), f.uidNext(), f.highestModseq(), messages,
                recent);
        if (!c.claimRecent() || recent.isEmpty()) {
            return Effect().reply(c.replyTo(), Reply.ok(snap));
        }
        claim(f, f.messageMap().lastKey());
        return Effect().reply(c.replyTo(), Reply.ok(snap));
    }

    private Effect<Event, MailboxState> onChangesSince(MailboxState s, ChangesSince c) {
        FolderState f = s.folder(c.folder());
        if (f == null) {
            return Effect().reply(c.replyTo(), Reply.error("NONEXISTENT", "Mailbox doesn't exist."));
        }
        List<MessageMeta> changed = f.changedSince(c.modseq());
        List<Long> expunged = f.expungedSince(c.modseq());
        Set<Long> recent = c.claimRecent()
                ? new HashSet<>(f.messageMap().tailMap(f.recentBoundary(), false).keySet()) : Set.of();
        FolderChanges answer = new FolderChanges(f.name(), f.uidValidity(), f.uidNext(), f.highestModseq(),
                views(f, changed), expunged, recent);
        if (recent.isEmpty()) {
            return Effect().reply(c.replyTo(), Reply.ok(answer));
        }
        claim(f, f.messageMap().lastKey());
        return Effect().reply(c.replyTo(), Reply.ok(answer));
    }

    private Effect<Event, MailboxState> onClaimRecent(MailboxState s, ClaimRecent c) {
        FolderState f = s.folder(c.folder());
        Set<Long> owned = new TreeSet<>();
        if (f != null) {
            for (long uid : c.uids()) {
                if (uid > f.recentBoundary() && f.message(uid) != null) {
                    owned.add(uid);
                }
            }
        }
        if (owned.isEmpty()) {
            return Effect().reply(c.replyTo(), Reply.ok(Set.of()));
        }
        long max = ((TreeSet<Long>) owned).last();
        Set<Long> answer = Set.copyOf(owned);
        claim(f, max);
        return Effect().reply(c.replyTo(), Reply.ok(answer));
    }

    /**
     * Gives \\Recent up to {@code uid} away at once and writes the claim within {@link #CLAIM_FLUSH_DELAY}
     * (or before the entity stops), in one event per folder. A SELECT or an IDLE wake-up then costs
     * no journal write of its own. Commands are handled one at a time, so no second session can
     * claim the same messages meanwhile; only a crash inside the delay forgets the claim, and the
     * messages are then reported \\Recent once more, which RFC 3501 clients tolerate (the flag is
     * advisory and gone from IMAP4rev2).
     */
    private void claim(FolderState f, long uid) {
        f.raiseRecentBoundary(uid);
        pendingClaims.merge(f.name(), uid, Math::max);
        if (!claimFlushScheduled) {
            claimFlushScheduled = true;
            context.scheduleOnce(CLAIM_FLUSH_DELAY, context.getSelf(), new FlushClaims());
        }
    }

    /** The pending claims as events (and forgets them). */
    private List<Event> takeClaims() {
        List<Event> events = new ArrayList<>();
        pendingClaims.forEach((folder, uid) -> events.add(new RecentClaimed(folder, uid)));
        pendingClaims.clear();
        return events;
    }

    private Effect<Event, MailboxState> onAppend(MailboxState s, Append a) {
        FolderState f = s.folder(a.folder());
        if (f == null) {
            return Effect().reply(a.replyTo(), Reply.error("TRYCREATE", "Mailbox doesn't exist."));
        }
        long uid = f.uidNext();
        long modseq = s.highestModseq() + 1;
        MessageMeta meta = new MessageMeta(uid, a.blob(), a.internalDate(), cleanFlags(a.flags()), modseq, null);
        Event event = new MessagesAppended(a.folder(), List.of(meta),
                a.summary() == null ? Map.of() : Map.of(uid, a.summary()));
        long validity = f.uidValidity();
        return Effect().persist(event).thenRun(st -> {
            publishAdded(st, a.folder(), List.of(meta));
            publishUsage(st.usedBytes());
            a.replyTo().tell(Reply.ok(new AppendResult(validity, uid)));
        });
    }

    private Effect<Event, MailboxState> onAppendBatch(MailboxState s, AppendBatch b) {
        FolderState f = s.folder(b.folder());
        if (f == null) {
            return Effect().reply(b.replyTo(), Reply.error("TRYCREATE", "Mailbox doesn't exist."));
        }
        long uid = f.uidNext();
        long modseq = s.highestModseq() + 1;
        List<MessageMeta> metas = new ArrayList<>();
        List<AppendResult> results = new ArrayList<>();
        Map<Long, MessageSummary> summaries = new HashMap<>();
        for (BatchItem i : b.items()) {
            MessageMeta meta = new MessageMeta(uid, i.blob(), i.internalDate(), cleanFlags(i.flags()), modseq, null);
            metas.add(meta);
            results.add(new AppendResult(f.uidValidity(), uid));
            if (i.summary() != null) {
                summaries.put(uid, i.summary());
            }
            uid++;
        }
        // One event for the whole batch: it is all or nothing.
        return Effect().persist(new MessagesAppended(b.folder(), metas, summaries)).thenRun(st -> {
            publishAdded(st, b.folder(), metas);
            publishUsage(st.usedBytes());
            b.replyTo().tell(Reply.ok(List.copyOf(results)));
        });
    }

    private static Set<String> cleanFlags(Set<String> flags) {
        Set<String> out = new HashSet<>(flags);
        out.remove("\\Recent");
        return out;
    }

    private Effect<Event, MailboxState> onStore(MailboxState s, Store c) {
        FolderState f = s.folder(c.folder());
        if (f == null) {
            return Effect().reply(c.replyTo(), Reply.error("NONEXISTENT", "Mailbox doesn't exist."));
        }
        long modseq = s.highestModseq() + 1;
        Set<String> flags = cleanFlags(c.flags());
        List<FlagUpdate> updates = new ArrayList<>();
        List<Long> modified = new ArrayList<>();
        for (long uid : c.uids()) {
            MessageMeta m = f.message(uid);
            if (m == null) {
                continue;
            }
            if (c.unchangedSince() >= 0 && m.modseq() > c.unchangedSince()) {
                modified.add(uid);
                continue;
            }
            Set<String> next = new HashSet<>(m.flags());
            switch (c.op()) {
                case REPLACE -> {
                    next.clear();
                    next.addAll(flags);
                }
                case ADD -> next.addAll(flags);
                case REMOVE -> next.removeAll(flags);
            }
            if (!next.equals(m.flags()) || c.unchangedSince() >= 0) {
                updates.add(new FlagUpdate(uid, next, modseq));
            }
        }
        if (updates.isEmpty()) {
            return Effect().reply(c.replyTo(), Reply.ok(new StoreResult(List.of(), modified)));
        }
        return Effect().persist(new FlagsUpdated(c.folder(), updates)).thenRun(st -> {
            publish(new MailboxEvent.FlagsChanged(c.folder(), updates));
            c.replyTo().tell(Reply.ok(new StoreResult(updates, modified)));
        });
    }

    private Effect<Event, MailboxState> onExpunge(MailboxState s, Expunge c) {
        FolderState f = s.folder(c.folder());
        if (f == null) {
            return Effect().reply(c.replyTo(), Reply.error("NONEXISTENT", "Mailbox doesn't exist."));
        }
        Set<Long> limit = c.uids() == null ? null : new HashSet<>(c.uids());
        List<Long> gone = new ArrayList<>();
        for (MessageMeta m : f.messages()) {
            if (m.flags().contains("\\Deleted") && (limit == null || limit.contains(m.uid()))) {
                gone.add(m.uid());
            }
        }
        if (gone.isEmpty()) {
            return Effect().reply(c.replyTo(), Reply.ok(new ExpungeResult(List.of(), s.highestModseq())));
        }
        long modseq = s.highestModseq() + 1;
        return Effect().persist(new MessagesExpunged(c.folder(), gone, modseq)).thenRun(st -> {
            publish(new MailboxEvent.MessagesExpunged(c.folder(), gone, modseq));
            publishUsage(st.usedBytes());
            c.replyTo().tell(Reply.ok(new ExpungeResult(gone, modseq)));
        });
    }

    private Effect<Event, MailboxState> onPurge(MailboxState s, Purge c) {
        List<MessagesExpunged> events = new ArrayList<>();
        long modseq = s.highestModseq() + 1;
        int count = 0;
        for (FolderState f : s.folders().values()) {
            if (f.count() > 0) {
                List<Long> uids = new ArrayList<>(f.messageMap().keySet());
                events.add(new MessagesExpunged(f.name(), uids, modseq));
                count += uids.size();
            }
        }
        if (events.isEmpty()) {
            return Effect().reply(c.replyTo(), new Purged(0));
        }
        int removed = count;
        return Effect().persist(List.copyOf(events)).thenRun(st -> {
            events.forEach(e -> publish(new MailboxEvent.MessagesExpunged(e.folder(), e.uids(), e.modseq())));
            publishUsage(st.usedBytes());
            c.replyTo().tell(new Purged(removed));
        });
    }

    private Effect<Event, MailboxState> onCopy(MailboxState s, Copy c) {
        FolderState from = s.folder(c.from());
        if (from == null) {
            return Effect().reply(c.replyTo(), Reply.error("NONEXISTENT", "Mailbox doesn't exist."));
        }
        FolderState to = s.folder(c.to());
        if (to == null) {
            return Effect().reply(c.replyTo(), Reply.error("TRYCREATE", "Mailbox doesn't exist."));
        }
        long uid = to.uidNext();
        long modseq = s.highestModseq() + 1;
        List<Event> events = new ArrayList<>();
        List<Long> src = new ArrayList<>();
        List<Long> dst = new ArrayList<>();
        List<MessageMeta> added = new ArrayList<>();
        Map<Long, MessageSummary> summaries = new HashMap<>();
        for (long u : new TreeSet<>(c.uids())) {
            MessageMeta m = from.message(u);
            if (m == null) {
                continue;
            }
            MessageMeta copy = new MessageMeta(uid, m.blob(), m.internalDate(), m.flags(), modseq, null);
            added.add(copy);
            if (from.summary(u) != null) {
                summaries.put(uid, from.summary(u));
            }
            src.add(u);
            dst.add(uid);
            uid++;
        }
        if (src.isEmpty()) {
            return Effect().reply(c.replyTo(), Reply.ok(new CopyResult(to.uidValidity(), List.of(), List.of())));
        }
        events.add(new MessagesAppended(c.to(), added, summaries));
        long expungeModseq = modseq + 1;
        if (c.move()) {
            events.add(new MessagesExpunged(c.from(), src, expungeModseq));
        }
        CopyResult result = new CopyResult(to.uidValidity(), src, dst);
        return Effect().persist(events).thenRun(st -> {
            publishAdded(st, c.to(), added);
            if (c.move()) {
                publish(new MailboxEvent.MessagesExpunged(c.from(), src, expungeModseq));
            }
            publishUsage(st.usedBytes());
            c.replyTo().tell(Reply.ok(result));
        });
    }

    /**
     * Appends every new delivery of the batch in one journal write, one {@link MessagesAppended} per
     * folder, and answers every sender after it; a delivery id seen before, in the state or earlier
     * in the same batch, is answered with its uid and changes nothing. One event per folder rather
     * than per message also keeps a hot mailbox from being snapshotted (all its messages serialized)
     * every few hundred deliveries: snapshots are counted in events.
     */
    private Effect<Event, MailboxState> onDeliverBatch(MailboxState s, DeliverBatch b) {
        List<Event> events = new ArrayList<>();
        if (!s.isInitialised()) {
            events.addAll(defaultFolders(s));
        }
        Set<String> folders = new HashSet<>(s.folders().keySet());
        events.forEach(e -> folders.add(((FolderCreated) e).name()));
        long validity = s.newUidValidity(Instant.now().getEpochSecond()) + events.size();
        Map<String, Long> inBatch = new HashMap<>();
        // Linked: events and MessagesAdded go out per folder in the order the folders came up.
        Map<String, List<MessageMeta>> added = new java.util.LinkedHashMap<>();
        Map<String, Map<Long, MessageSummary>> summaries = new HashMap<>();
        List<Delivered> answers = new ArrayList<>();
        long modseq = s.highestModseq() + 1;
        for (Deliver d : b.deliveries()) {
            Long known = s.deliveredUid(d.deliveryId());
            if (known == null) {
                known = inBatch.get(d.deliveryId());
            }
            if (known != null) {
                answers.add(new Delivered(d.deliveryId(), d.folder(), known, true));
                continue;
            }
            String folder = d.folder();
            if (folders.add(folder)) {
                events.add(new FolderCreated(folder, validity++, null, true));
            }
            List<MessageMeta> metas = added.computeIfAbsent(folder, f -> new ArrayList<>());
            FolderState f = s.folder(folder);
            long uid = metas.isEmpty() ? (f == null ? 1 : f.uidNext()) : metas.get(metas.size() - 1).uid() + 1;
            metas.add(new MessageMeta(uid, d.blob(), d.internalDate(), d.flags(), modseq, d.deliveryId()));
            if (d.summary() != null) {
                summaries.computeIfAbsent(folder, k -> new HashMap<>()).put(uid, d.summary());
            }
            inBatch.put(d.deliveryId(), uid);
            answers.add(new Delivered(d.deliveryId(), folder, uid, false));
        }
        if (added.isEmpty()) {
            // Only duplicates: nothing to write (default folders wait for a real change).
            return Effect().none().thenRun(st -> answer(b, answers));
        }
        added.forEach((folder, metas) ->
                events.add(new MessagesAppended(folder, metas, summaries.getOrDefault(folder, Map.of()))));
        return Effect().persist(events).thenRun(st -> {
            added.forEach((folder, metas) -> publishAdded(st, folder, metas));
            publishUsage(st.usedBytes());
            answer(b, answers);
        });
    }

    /** Answers every sender of the batch (in order) and tells the batcher the write is over. */
    private void answer(DeliverBatch b, List<Delivered> answers) {
        for (int i = 0; i < answers.size(); i++) {
            b.deliveries().get(i).replyTo().tell(answers.get(i));
        }
        context.getSelf().tell(new DeliveriesWritten());
    }

    private void publishAdded(MailboxState st, String folder, List<MessageMeta> metas) {
        FolderState f = st.folder(folder);
        publish(new MailboxEvent.MessagesAdded(folder, f.uidValidity(), views(f, metas)));
    }

    private void publish(MailboxEvent e) {
        for (ActorRef<MailboxEvent> w : watchers) {
            w.tell(e);
        }
    }

    /**
     * Publishes quota usage at most once per {@link #USAGE_INTERVAL}: the first change goes out at once
     * (a quota check right after a delivery sees it), later ones within the interval are folded into one
     * update at its end. Every update rewrites the replicated map on this node, so one per delivery
     * would cost more than the delivery's own bookkeeping under load.
     */
    private void publishUsage(long used) {
        if (usageScheduled) {
            return;
        }
        long sinceLast = System.nanoTime() - lastUsageNanos;
        if (sinceLast >= USAGE_INTERVAL.toNanos()) {
            sendUsage(used);
        } else {
            usageScheduled = true;
            context.scheduleOnce(USAGE_INTERVAL.minusNanos(sinceLast), context.getSelf(), new UsageDue());
        }
    }

    private void sendUsage(long used) {
        lastUsageNanos = System.nanoTime();
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

    private static io.mailfleet.cluster.blobgc.BlobIdList blobIds(MailboxState s) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (FolderState f : s.folders().values()) {
            for (MessageMeta m : f.messages()) {
                ids.add(m.blob().id());
            }
        }
        return new io.mailfleet.cluster.blobgc.BlobIdList(List.copyOf(ids));
    }

    private static Status status(MailboxState s) {
        List<FolderStatus> out = new ArrayList<>();
        for (FolderState f : s.folders().values()) {
            out.add(new FolderStatus(f.name(), f.specialUse(), f.subscribed(), f.uidValidity(), f.uidNext(), f.count(),
                    f.size()));
        }
        return new Status(out, s.usedBytes(), s.highestModseq());
    }

    private static List<FolderInfo> folderInfos(MailboxState s) {
        List<FolderInfo> out = new ArrayList<>();
        for (FolderState f : s.folders().values()) {
            out.add(new FolderInfo(f.name(), f.specialUse(), f.subscribed(), f.uidValidity(), f.uidNext(), f.count(),
                    f.unseen(), f.recentCount(), f.size(), f.highestModseq()));
        }
        s.subscriptionsWithoutFolder().forEach(n -> out.add(FolderInfo.subscriptionOnly(n)));
        return out;
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
