package io.mailfleet.cluster.mailbox;

import io.mailfleet.cluster.mailbox.MailboxEntity.Append;
import io.mailfleet.cluster.mailbox.MailboxEntity.AppendBatch;
import io.mailfleet.cluster.mailbox.MailboxEntity.BatchItem;
import io.mailfleet.cluster.mailbox.MailboxEntity.DeliverBatch;
import io.mailfleet.cluster.mailbox.MailboxEntity.Deliver;
import io.mailfleet.cluster.mailbox.MailboxEntity.Delivered;
import io.mailfleet.cluster.mailbox.MailboxEntity.Event;
import io.mailfleet.cluster.mailbox.MailboxEntity.FolderCreated;
import io.mailfleet.cluster.mailbox.MailboxEntity.MessagesAppended;
import io.mailfleet.cluster.mailbox.MailboxEntity.Reply;
import io.mailfleet.core.mailbox.AppendResult;
import io.mailfleet.core.mime.MessageSummary;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The commands of {@link MailboxEntity} that add messages: deliveries from the queue (in the
 * batches {@link DeliveryBatcher} collects, idempotent by delivery id), APPEND and MULTIAPPEND.
 */
final class DeliveryCommands {

    private final EffectFactories<Event, MailboxState> effects;
    private final ActorRef<MailboxEntity.Command> self;
    private final MailboxWatchers watchers;
    private final UsagePublisher usage;

    DeliveryCommands(EffectFactories<Event, MailboxState> effects, ActorRef<MailboxEntity.Command> self,
                     MailboxWatchers watchers, UsagePublisher usage) {
        this.effects = effects;
        this.self = self;
        this.watchers = watchers;
        this.usage = usage;
    }

    /**
     * Appends every new delivery of the batch in one journal write, one {@link MessagesAppended} per
     * folder, and answers every sender after it; a delivery id seen before, in the state or earlier
     * in the same batch, is answered with its uid and changes nothing. One event per folder rather
     * than per message also keeps a hot mailbox from being snapshotted (all its messages serialized)
     * every few hundred deliveries: snapshots are counted in events.
     */
    Effect<Event, MailboxState> deliver(MailboxState s, DeliverBatch b) {
        List<Event> events = new ArrayList<>();
        if (!s.isInitialised()) {
            events.addAll(FolderCommands.defaultFolders(s));
        }
        Set<String> folders = new HashSet<>(s.folders().keySet());
        events.forEach(e -> folders.add(((FolderCreated) e).name()));
        long validity = s.newUidValidity(Instant.now().getEpochSecond()) + events.size();
        Map<String, Long> inBatch = new HashMap<>();
        // Linked: events and MessagesAdded go out per folder in the order the folders came up.
        Map<String, List<MessageMeta>> added = new LinkedHashMap<>();
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
            return effects.none().thenRun(st -> answer(b, answers));
        }
        added.forEach((folder, metas) ->
                events.add(new MessagesAppended(folder, metas, summaries.getOrDefault(folder, Map.of()))));
        return effects.persist(events).thenRun(st -> {
            added.forEach((folder, metas) -> watchers.publishAdded(st, folder, metas));
            usage.changed(st.usedBytes());
            answer(b, answers);
        });
    }

    /** Answers every sender of the batch (in order) and tells the batcher the write is over. */
    private void answer(DeliverBatch b, List<Delivered> answers) {
        for (int i = 0; i < answers.size(); i++) {
            b.deliveries().get(i).replyTo().tell(answers.get(i));
        }
        self.tell(new MailboxEntity.DeliveriesWritten());
    }

    /** APPEND of one message to an existing folder. */
    Effect<Event, MailboxState> append(MailboxState s, Append a) {
        FolderState f = s.folder(a.folder());
        if (f == null) {
            return effects.reply(a.replyTo(), Reply.error("TRYCREATE", "Mailbox doesn't exist."));
        }
        long uid = f.uidNext();
        long modseq = s.highestModseq() + 1;
        MessageMeta meta = new MessageMeta(uid, a.blob(), a.internalDate(), FlagCommands.withoutRecent(a.flags()),
                modseq, null);
        Event event = new MessagesAppended(a.folder(), List.of(meta),
                a.summary() == null ? Map.of() : Map.of(uid, a.summary()));
        AppendResult result = new AppendResult(f.uidValidity(), uid);
        return effects.persist(event).thenRun(st -> {
            watchers.publishAdded(st, a.folder(), List.of(meta));
            usage.changed(st.usedBytes());
            a.replyTo().tell(Reply.ok(result));
        });
    }

    /** MULTIAPPEND: all messages or none, uids consecutive. */
    Effect<Event, MailboxState> appendBatch(MailboxState s, AppendBatch b) {
        FolderState f = s.folder(b.folder());
        if (f == null) {
            return effects.reply(b.replyTo(), Reply.error("TRYCREATE", "Mailbox doesn't exist."));
        }
        long uid = f.uidNext();
        long modseq = s.highestModseq() + 1;
        List<MessageMeta> metas = new ArrayList<>();
        List<AppendResult> results = new ArrayList<>();
        Map<Long, MessageSummary> summaries = new HashMap<>();
        for (BatchItem i : b.items()) {
            MessageMeta meta = new MessageMeta(uid, i.blob(), i.internalDate(),
                    FlagCommands.withoutRecent(i.flags()), modseq, null);
            metas.add(meta);
            results.add(new AppendResult(f.uidValidity(), uid));
            if (i.summary() != null) {
                summaries.put(uid, i.summary());
            }
            uid++;
        }
        // One event for the whole batch: it is all or nothing.
        return effects.persist(new MessagesAppended(b.folder(), metas, summaries)).thenRun(st -> {
            watchers.publishAdded(st, b.folder(), metas);
            usage.changed(st.usedBytes());
            b.replyTo().tell(Reply.ok(List.copyOf(results)));
        });
    }
}
