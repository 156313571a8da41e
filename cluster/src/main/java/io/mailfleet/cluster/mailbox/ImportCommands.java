package io.mailfleet.cluster.mailbox;

import io.mailfleet.cluster.mailbox.MailboxEntity.Event;
import io.mailfleet.cluster.mailbox.MailboxEntity.BatchItem;
import io.mailfleet.cluster.mailbox.MailboxEntity.HighestModseqRaised;
import io.mailfleet.cluster.mailbox.MailboxEntity.ImportAppend;
import io.mailfleet.cluster.mailbox.MailboxEntity.ImportAppendBatch;
import io.mailfleet.cluster.mailbox.MailboxEntity.ImportModseq;
import io.mailfleet.cluster.mailbox.MailboxEntity.ImportUids;
import io.mailfleet.cluster.mailbox.MailboxEntity.MessagesAppended;
import io.mailfleet.cluster.mailbox.MailboxEntity.Reply;
import io.mailfleet.cluster.mailbox.MailboxEntity.UidNextRaised;
import io.mailfleet.cluster.mailbox.MailboxEntity.UidValidityAdopted;
import io.mailfleet.core.mailbox.AppendResult;
import io.mailfleet.core.mailbox.FolderUids;
import io.mailfleet.core.mailbox.MailboxEvent;
import io.mailfleet.core.mime.MessageSummary;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The commands of {@link MailboxEntity} an import of an existing mailbox uses to keep its UIDs:
 * an append with a given uid (never below UIDNEXT, so UIDs only grow) and taking the source's
 * UIDVALIDITY and UIDNEXT. Only a folder without messages takes another UIDVALIDITY: no client can
 * hold a UID of it, so nothing it cached is invalidated.
 */
final class ImportCommands {

    private final EffectFactories<Event, MailboxState> effects;
    private final MailboxWatchers watchers;
    private final UsagePublisher usage;

    ImportCommands(EffectFactories<Event, MailboxState> effects, MailboxWatchers watchers, UsagePublisher usage) {
        this.effects = effects;
        this.watchers = watchers;
        this.usage = usage;
    }

    Effect<Event, MailboxState> append(MailboxState s, ImportAppend a) {
        FolderState f = s.folder(a.folder());
        if (f == null) {
            return effects.reply(a.replyTo(), Reply.error("TRYCREATE", "Mailbox doesn't exist."));
        }
        if (a.uid() < f.uidNext() || a.uid() <= 0 || a.uid() > 0xFFFFFFFFL) {
            return effects.reply(a.replyTo(), Reply.error("UIDTAKEN", "uid " + a.uid()
                    + " is not above the folder's last uid (UIDNEXT " + f.uidNext() + ")"));
        }
        if (a.modseq() < 0) {
            return effects.reply(a.replyTo(), Reply.error("CLIENTBUG", "modseq " + a.modseq() + " out of range"));
        }
        // a source modseq is kept as it is: the importer keeps one only where no client of ours can hold a
        // higher one for the folder (a folder that just took the source's UIDVALIDITY)
        long modseq = a.modseq() > 0 ? a.modseq() : s.highestModseq() + 1;
        MessageMeta meta = new MessageMeta(a.uid(), a.blob(), a.internalDate(), FlagCommands.withoutRecent(a.flags()),
                modseq, null);
        Event event = new MessagesAppended(a.folder(), List.of(meta),
                a.summary() == null ? Map.of() : Map.of(a.uid(), a.summary()));
        AppendResult result = new AppendResult(f.uidValidity(), a.uid());
        return effects.persist(event).thenRun(st -> {
            watchers.publishAdded(st, a.folder(), List.of(meta));
            usage.changed(st.usedBytes());
            a.replyTo().tell(Reply.ok(result));
        });
    }

    /**
     * Many import appends in one event (one journal write): each item keeps its source uid where
     * {@link #append} would, and takes the next free uid where {@code append} would answer UIDTAKEN.
     */
    Effect<Event, MailboxState> appendBatch(MailboxState s, ImportAppendBatch b) {
        FolderState f = s.folder(b.folder());
        if (f == null) {
            return effects.reply(b.replyTo(), Reply.error("TRYCREATE", "Mailbox doesn't exist."));
        }
        if (b.items().isEmpty()) {
            return effects.reply(b.replyTo(), Reply.ok(List.of()));
        }
        long next = f.uidNext();
        long fresh = s.highestModseq() + 1;
        for (long m : b.modseqs()) {
            if (m < 0) {
                return effects.reply(b.replyTo(), Reply.error("CLIENTBUG", "modseq " + m + " out of range"));
            }
        }
        List<MessageMeta> metas = new ArrayList<>(b.items().size());
        List<AppendResult> results = new ArrayList<>(b.items().size());
        Map<Long, MessageSummary> summaries = new HashMap<>();
        for (int i = 0; i < b.items().size(); i++) {
            BatchItem item = b.items().get(i);
            long wanted = b.uids().get(i);
            long uid = wanted >= next && wanted <= 0xFFFFFFFFL ? wanted : next;
            if (uid > 0xFFFFFFFFL) {
                return effects.reply(b.replyTo(), Reply.error("LIMIT", "the folder has no uid left for "
                        + (b.items().size() - i) + " more message(s)"));
            }
            next = uid + 1;
            // a source modseq is kept only with the source uid (as ImportAppend keeps it); a message
            // renumbered is new to every client and goes above everything
            long kept = b.modseqs().get(i);
            long modseq = uid == wanted && kept > 0 ? kept : fresh;
            metas.add(new MessageMeta(uid, item.blob(), item.internalDate(), FlagCommands.withoutRecent(item.flags()),
                    modseq, null));
            results.add(new AppendResult(f.uidValidity(), uid));
            if (item.summary() != null) {
                summaries.put(uid, item.summary());
            }
        }
        return effects.persist(new MessagesAppended(b.folder(), metas, summaries)).thenRun(st -> {
            watchers.publishAdded(st, b.folder(), metas);
            usage.changed(st.usedBytes());
            b.replyTo().tell(Reply.ok(List.copyOf(results)));
        });
    }

    Effect<Event, MailboxState> uids(MailboxState s, ImportUids c) {
        FolderState f = s.folder(c.folder());
        if (f == null) {
            return effects.reply(c.replyTo(), Reply.error("TRYCREATE", "Mailbox doesn't exist."));
        }
        if (c.uidValidity() < 0 || c.uidValidity() > 0xFFFFFFFFL || c.uidNext() < 0 || c.uidNext() > 0xFFFFFFFFL) {
            return effects.reply(c.replyTo(), Reply.error("CLIENTBUG", "uid values out of range"));
        }
        List<Event> events = new ArrayList<>();
        boolean adopt = c.uidValidity() > 0 && c.uidValidity() != f.uidValidity() && f.count() == 0;
        if (adopt) {
            events.add(new UidValidityAdopted(c.folder(), c.uidValidity()));
        }
        long nextNow = adopt ? 1 : f.uidNext();
        if (c.uidNext() > nextNow) {
            events.add(new UidNextRaised(c.folder(), c.uidNext()));
        }
        if (events.isEmpty()) {
            return effects.reply(c.replyTo(), Reply.ok(uidsOf(f, false)));
        }
        return effects.persist(events).thenRun(st -> {
            if (adopt) {
                // sessions that have the folder open must learn the new UIDVALIDITY
                watchers.publish(new MailboxEvent.Resync(c.folder()));
            }
            c.replyTo().tell(Reply.ok(uidsOf(st.folder(c.folder()), adopt)));
        });
    }

    Effect<Event, MailboxState> modseq(MailboxState s, ImportModseq c) {
        FolderState f = s.folder(c.folder());
        if (f == null) {
            return effects.reply(c.replyTo(), Reply.error("TRYCREATE", "Mailbox doesn't exist."));
        }
        if (c.highestModseq() < 0) {
            return effects.reply(c.replyTo(), Reply.error("CLIENTBUG", "modseq " + c.highestModseq() + " out of range"));
        }
        if (c.highestModseq() <= f.highestModseq() && c.highestModseq() <= s.highestModseq()) {
            return effects.reply(c.replyTo(), Reply.ok(f.highestModseq()));
        }
        return effects.persist(new HighestModseqRaised(c.folder(), c.highestModseq()))
                .thenRun(st -> c.replyTo().tell(Reply.ok(st.folder(c.folder()).highestModseq())));
    }

    private static FolderUids uidsOf(FolderState f, boolean adopted) {
        return new FolderUids(f.uidValidity(), f.uidNext(), f.count(), adopted);
    }
}
