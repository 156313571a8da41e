package io.mailfleet.cluster.mailbox;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.mailbox.AppendRequest;
import io.mailfleet.core.mailbox.AppendResult;
import io.mailfleet.core.mailbox.CopyResult;
import io.mailfleet.core.mailbox.ExpungeResult;
import io.mailfleet.core.mailbox.FlagOperation;
import io.mailfleet.core.mailbox.FolderChanges;
import io.mailfleet.core.mailbox.FolderInfo;
import io.mailfleet.core.mailbox.FolderSnapshot;
import io.mailfleet.core.mailbox.MailboxEvent;
import io.mailfleet.core.mailbox.MailboxException;
import io.mailfleet.core.mailbox.MailboxListener;
import io.mailfleet.core.mailbox.MailboxService;
import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.core.mailbox.StoreResult;
import io.mailfleet.core.mailbox.Usage;
import io.mailfleet.core.mime.MessageParser;
import io.mailfleet.core.mime.MessageSummary;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.japi.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link MailboxService} on the sharded {@link MailboxEntity}. Message summaries are parsed here (on
 * {@code parseExecutor}, never on an actor thread) once per message and stored in the entity; change
 * notifications arrive through one node-local {@link AccountWatcher} per watched account.
 */
public final class ClusterMailboxService implements MailboxService {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterMailboxService.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final ActorSystem<?> system;
    private final ClusterSharding sharding;
    private final BlobStore blobs;
    private final Executor parseExecutor;
    private final Duration watchRefresh;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private final AtomicLong watcherIds = new AtomicLong();

    /** One account watched on this node. */
    private final class Watch {
        final String account;
        final Set<MailboxListener> listeners = new CopyOnWriteArraySet<>();
        final ActorRef<AccountWatcher.Msg> watcher;

        Watch(String account) {
            this.account = account;
            this.watcher = system.systemActorOf(AccountWatcher.create(account, sharding, watchRefresh, this::received),
                    "mailbox-watch-" + watcherIds.incrementAndGet(), Props.empty());
        }

        /** Called on the watcher actor, so in order; listeners hand off to their own threads. */
        private void received(MailboxEvent e) {
            for (MailboxListener l : listeners) {
                try {
                    l.onEvent(e);
                } catch (RuntimeException ex) {
                    LOG.warn("mailbox listener of {} failed: {}", account, ex.toString());
                }
            }
        }
    }

    /**
     * @param system        the node's actor system (sharding of {@link MailboxEntity} started by
     *                      {@link ClusterMailboxes#start})
     * @param blobs         the blob store, read to parse messages delivered without a summary
     * @param parseExecutor where blobs are parsed (blocking I/O)
     */
    public ClusterMailboxService(ActorSystem<?> system, BlobStore blobs, Executor parseExecutor) {
        this(system, blobs, parseExecutor, Duration.ofSeconds(30));
    }

    /**
     * @param watchRefresh how often a node re-registers its watch of an account with the mailbox entity;
     *                     bounds how long a failed-over entity can go without telling this node's sessions
     */
    public ClusterMailboxService(ActorSystem<?> system, BlobStore blobs, Executor parseExecutor,
                                 Duration watchRefresh) {
        this.watchRefresh = watchRefresh;
        this.system = system;
        this.sharding = ClusterSharding.get(system);
        this.blobs = blobs;
        this.parseExecutor = parseExecutor;
    }

    /** Asks the account's entity; a refusal completes exceptionally with its {@link MailboxException}. */
    private <T> CompletionStage<T> ask(String account,
                                       Function<ActorRef<MailboxEntity.Reply<T>>, MailboxEntity.Command> msg) {
        return sharding.entityRefFor(MailboxEntity.TYPE_KEY, account)
                .<MailboxEntity.Reply<T>>ask(msg::apply, TIMEOUT)
                .thenApply(MailboxEntity.Reply::valueOrThrow);
    }

    @Override
    public CompletionStage<List<FolderInfo>> folders(String account) {
        return ask(account, MailboxEntity.ListFolders::new);
    }

    @Override
    public CompletionStage<Void> create(String account, List<String> names, String specialUse) {
        return ask(account, r -> new MailboxEntity.CreateFolders(List.copyOf(names), specialUse, r));
    }

    @Override
    public CompletionStage<Void> delete(String account, String name, char delimiter) {
        return ask(account, r -> new MailboxEntity.DeleteFolder(name, delimiter, r));
    }

    @Override
    public CompletionStage<Void> rename(String account, String from, String to, char delimiter) {
        return ask(account, r -> new MailboxEntity.RenameFolder(from, to, delimiter, r));
    }

    @Override
    public CompletionStage<Void> subscribe(String account, String name, boolean subscribed) {
        return ask(account, r -> new MailboxEntity.Subscribe(name, subscribed, r));
    }

    @Override
    public CompletionStage<FolderSnapshot> select(String account, String folder, boolean claimRecent) {
        return this.<FolderSnapshot>ask(account, r -> new MailboxEntity.Select(folder, claimRecent, r))
                .thenCompose(snap -> withSummaries(account, folder, snap.messages())
                        .thenApply(msgs -> new FolderSnapshot(snap.folder(), snap.uidValidity(), snap.uidNext(),
                                snap.highestModseq(), msgs, snap.recent())));
    }

    @Override
    public CompletionStage<FolderChanges> changesSince(String account, String folder, long sinceModseq,
                                                      boolean claimRecent) {
        return this.<FolderChanges>ask(account,
                        r -> new MailboxEntity.ChangesSince(folder, sinceModseq, claimRecent, r))
                .thenCompose(c -> withSummaries(account, folder, c.changed())
                        .thenApply(msgs -> new FolderChanges(c.folder(), c.uidValidity(), c.uidNext(),
                                c.highestModseq(), msgs, c.expunged(), c.recent())));
    }

    @Override
    public CompletionStage<Set<Long>> claimRecent(String account, String folder, Collection<Long> uids) {
        return ask(account, r -> new MailboxEntity.ClaimRecent(folder, List.copyOf(uids), r));
    }

    @Override
    public CompletionStage<AppendResult> append(String account, String folder, BlobRef blob, Instant internalDate,
                                                Set<String> flags) {
        return CompletableFuture.supplyAsync(() -> parse(blob), parseExecutor)
                .thenCompose(summary -> ask(account,
                        r -> new MailboxEntity.Append(folder, blob, internalDate, Set.copyOf(flags), summary, r)));
    }

    @Override
    public CompletionStage<AppendResult> appendWithUid(String account, String folder, BlobRef blob,
                                                       Instant internalDate, Set<String> flags, long uid, long modseq) {
        return CompletableFuture.supplyAsync(() -> parse(blob), parseExecutor)
                .thenCompose(summary -> ask(account, r -> new MailboxEntity.ImportAppend(folder, uid, blob,
                        internalDate, Set.copyOf(flags), summary, modseq, r)));
    }

    @Override
    public CompletionStage<Long> importModseq(String account, String folder, long highestModseq) {
        return ask(account, r -> new MailboxEntity.ImportModseq(folder, highestModseq, r));
    }

    @Override
    public CompletionStage<io.mailfleet.core.mailbox.FolderUids> importUids(String account, String folder,
                                                                           long uidValidity, long uidNext) {
        return ask(account, r -> new MailboxEntity.ImportUids(folder, uidValidity, uidNext, r));
    }

    @Override
    public CompletionStage<List<AppendResult>> importAppendAll(String account, String folder,
                                                              List<io.mailfleet.core.mailbox.ImportedMessage> messages) {
        List<io.mailfleet.core.mailbox.ImportedMessage> copy = List.copyOf(messages);
        List<MailboxEntity.BatchItem> items = new ArrayList<>(copy.size());
        List<Long> uids = new ArrayList<>(copy.size());
        List<Long> modseqs = new ArrayList<>(copy.size());
        boolean unparsed = false;
        for (io.mailfleet.core.mailbox.ImportedMessage m : copy) {
            items.add(new MailboxEntity.BatchItem(m.blob(), m.internalDate(), m.flags(), m.summary()));
            uids.add(m.uid());
            modseqs.add(m.modseq());
            unparsed |= m.summary() == null;
        }
        if (!unparsed) {
            return ask(account, r -> new MailboxEntity.ImportAppendBatch(folder, items, uids, modseqs, r));
        }
        // messages the importer did not parse (too large to hold) are read back from the blob store here
        return CompletableFuture.supplyAsync(() -> {
            List<MailboxEntity.BatchItem> parsed = new ArrayList<>(items.size());
            for (MailboxEntity.BatchItem i : items) {
                parsed.add(i.summary() != null ? i
                        : new MailboxEntity.BatchItem(i.blob(), i.internalDate(), i.flags(), parse(i.blob())));
            }
            return parsed;
        }, parseExecutor).thenCompose(parsed -> ask(account, r -> new MailboxEntity.ImportAppendBatch(folder, parsed, uids, modseqs, r)));
    }

    @Override
    public CompletionStage<List<AppendResult>> appendAll(String account, String folder, List<AppendRequest> messages) {
        List<AppendRequest> copy = List.copyOf(messages);
        return CompletableFuture.supplyAsync(() -> {
            List<MailboxEntity.BatchItem> items = new ArrayList<>(copy.size());
            for (AppendRequest m : copy) {
                items.add(new MailboxEntity.BatchItem(m.blob(), m.internalDate(), m.flags(), parse(m.blob())));
            }
            return items;
        }, parseExecutor).thenCompose(items -> ask(account, r -> new MailboxEntity.AppendBatch(folder, items, r)));
    }

    @Override
    public CompletionStage<StoreResult> store(String account, String folder, Collection<Long> uids, FlagOperation op,
                                              Set<String> flags, long unchangedSince) {
        return ask(account, r -> new MailboxEntity.Store(folder, List.copyOf(uids), op, Set.copyOf(flags),
                unchangedSince, r));
    }

    @Override
    public CompletionStage<ExpungeResult> expunge(String account, String folder, Collection<Long> uids) {
        List<Long> list = uids == null ? null : List.copyOf(uids);
        return ask(account, r -> new MailboxEntity.Expunge(folder, list, r));
    }

    @Override
    public CompletionStage<CopyResult> copy(String account, String from, Collection<Long> uids, String to,
                                            boolean move) {
        return ask(account, r -> new MailboxEntity.Copy(from, List.copyOf(uids), to, move, r));
    }

    @Override
    public CompletionStage<Usage> usage(String account) {
        return ask(account, MailboxEntity.GetUsage::new);
    }

    @Override
    public CompletionStage<List<Long>> expungedSince(String account, String folder, long sinceModseq) {
        return ask(account, r -> new MailboxEntity.ExpungedSince(folder, sinceModseq, r));
    }

    @Override
    public AutoCloseable watch(String account, MailboxListener listener) {
        Watch w;
        synchronized (watches) {
            w = watches.computeIfAbsent(account, Watch::new);
            w.listeners.add(listener);
        }
        return () -> {
            synchronized (watches) {
                w.listeners.remove(listener);
                if (w.listeners.isEmpty() && watches.remove(account, w)) {
                    w.watcher.tell(new AccountWatcher.Stop());
                }
            }
        };
    }

    /** Fills missing summaries by parsing the blobs, and stores them in the entity for next time. */
    private CompletionStage<List<MessageView>> withSummaries(String account, String folder, List<MessageView> in) {
        boolean missing = in.stream().anyMatch(m -> m.summary() == null);
        if (!missing) {
            return CompletableFuture.completedFuture(in);
        }
        return CompletableFuture.supplyAsync(() -> {
            List<MessageView> out = new ArrayList<>(in.size());
            Map<Long, MessageSummary> parsed = new HashMap<>();
            for (MessageView m : in) {
                if (m.summary() == null) {
                    MessageSummary s = parse(m.blob());
                    parsed.put(m.uid(), s);
                    out.add(m.withSummary(s));
                } else {
                    out.add(m);
                }
            }
            sharding.entityRefFor(MailboxEntity.TYPE_KEY, account)
                    .tell(new MailboxEntity.AttachSummaries(folder, parsed, system.ignoreRef()));
            return out;
        }, parseExecutor);
    }

    private MessageSummary parse(BlobRef blob) {
        try (InputStream in = blobs.open(blob)) {
            return MessageParser.parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read message " + blob.id() + ": " + e.getMessage(), e);
        }
    }
}
