package io.mailfleet.cluster.mailbox;

import io.mailfleet.cluster.mailbox.MailboxEntity.Copy;
import io.mailfleet.cluster.mailbox.MailboxEntity.Event;
import io.mailfleet.cluster.mailbox.MailboxEntity.Expunge;
import io.mailfleet.cluster.mailbox.MailboxEntity.MessagesAppended;
import io.mailfleet.cluster.mailbox.MailboxEntity.MessagesExpunged;
import io.mailfleet.cluster.mailbox.MailboxEntity.Purge;
import io.mailfleet.cluster.mailbox.MailboxEntity.Purged;
import io.mailfleet.cluster.mailbox.MailboxEntity.Reply;
import io.mailfleet.core.mailbox.CopyResult;
import io.mailfleet.core.mailbox.ExpungeResult;
import io.mailfleet.core.mailbox.MailboxEvent;
import io.mailfleet.core.mime.MessageSummary;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The commands of {@link MailboxEntity} that remove or duplicate messages: EXPUNGE, COPY, MOVE, purge. */
final class ExpungeCommands {

    private final EffectFactories<Event, MailboxState> effects;
    private final MailboxWatchers watchers;
    private final UsagePublisher usage;

    ExpungeCommands(EffectFactories<Event, MailboxState> effects, MailboxWatchers watchers, UsagePublisher usage) {
        this.effects = effects;
        this.watchers = watchers;
        this.usage = usage;
    }

    /** Expunges the \\Deleted messages of a folder, only those among {@code uids} when given (UID EXPUNGE). */
    Effect<Event, MailboxState> expunge(MailboxState s, Expunge c) {
        FolderState f = s.folder(c.folder());
        if (f == null) {
            return effects.reply(c.replyTo(), Reply.error("NONEXISTENT", "Mailbox doesn't exist."));
        }
        Set<Long> limit = c.uids() == null ? null : new HashSet<>(c.uids());
        List<Long> gone = new ArrayList<>();
        for (MessageMeta m : f.messages()) {
            if (m.flags().contains("\\Deleted") && (limit == null || limit.contains(m.uid()))) {
                gone.add(m.uid());
            }
        }
        if (gone.isEmpty()) {
            return effects.reply(c.replyTo(), Reply.ok(new ExpungeResult(List.of(), s.highestModseq())));
        }
        long modseq = s.highestModseq() + 1;
        return effects.persist(new MessagesExpunged(c.folder(), gone, modseq)).thenRun(st -> {
            watchers.publish(new MailboxEvent.MessagesExpunged(c.folder(), gone, modseq));
            usage.changed(st.usedBytes());
            c.replyTo().tell(Reply.ok(new ExpungeResult(gone, modseq)));
        });
    }

    /** Every message of every folder, in one write (the account was deleted with its mail). */
    Effect<Event, MailboxState> purge(MailboxState s, Purge c) {
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
            return effects.reply(c.replyTo(), new Purged(0));
        }
        int removed = count;
        return effects.persist(List.<Event>copyOf(events)).thenRun(st -> {
            events.forEach(e -> watchers.publish(new MailboxEvent.MessagesExpunged(e.folder(), e.uids(), e.modseq())));
            usage.changed(st.usedBytes());
            c.replyTo().tell(new Purged(removed));
        });
    }

    /**
     * Copies messages to another folder with new uids in uid order, keeping flags and summaries; a move
     * expunges the originals in the same write, with a modseq above the copy's.
     */
    Effect<Event, MailboxState> copy(MailboxState s, Copy c) {
        FolderState from = s.folder(c.from());
        if (from == null) {
            return effects.reply(c.replyTo(), Reply.error("NONEXISTENT", "Mailbox doesn't exist."));
        }
        FolderState to = s.folder(c.to());
        if (to == null) {
            return effects.reply(c.replyTo(), Reply.error("TRYCREATE", "Mailbox doesn't exist."));
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
            return effects.reply(c.replyTo(), Reply.ok(new CopyResult(to.uidValidity(), List.of(), List.of())));
        }
        events.add(new MessagesAppended(c.to(), added, summaries));
        long expungeModseq = modseq + 1;
        if (c.move()) {
            events.add(new MessagesExpunged(c.from(), src, expungeModseq));
        }
        CopyResult result = new CopyResult(to.uidValidity(), src, dst);
        return effects.persist(events).thenRun(st -> {
            watchers.publishAdded(st, c.to(), added);
            if (c.move()) {
                watchers.publish(new MailboxEvent.MessagesExpunged(c.from(), src, expungeModseq));
            }
            usage.changed(st.usedBytes());
            c.replyTo().tell(Reply.ok(result));
        });
    }
}
