package io.mailfleet.cluster.mailbox;

import io.mailfleet.cluster.mailbox.MailboxEntity.Event;
import io.mailfleet.cluster.mailbox.MailboxEntity.FlagsUpdated;
import io.mailfleet.cluster.mailbox.MailboxEntity.Reply;
import io.mailfleet.cluster.mailbox.MailboxEntity.Store;
import io.mailfleet.core.mailbox.FlagUpdate;
import io.mailfleet.core.mailbox.MailboxEvent;
import io.mailfleet.core.mailbox.StoreResult;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** STORE of {@link MailboxEntity}: flag changes with a new modseq, UNCHANGEDSINCE (RFC 7162) honoured. */
final class FlagCommands {

    private final EffectFactories<Event, MailboxState> effects;
    private final MailboxWatchers watchers;

    FlagCommands(EffectFactories<Event, MailboxState> effects, MailboxWatchers watchers) {
        this.effects = effects;
        this.watchers = watchers;
    }

    /** \\Recent is the server's to set, never the client's. */
    static Set<String> withoutRecent(Set<String> flags) {
        Set<String> out = new HashSet<>(flags);
        out.remove("\\Recent");
        return out;
    }

    Effect<Event, MailboxState> store(MailboxState s, Store c) {
        FolderState f = s.folder(c.folder());
        if (f == null) {
            return effects.reply(c.replyTo(), Reply.error("NONEXISTENT", "Mailbox doesn't exist."));
        }
        long modseq = s.highestModseq() + 1;
        Set<String> flags = withoutRecent(c.flags());
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
            return effects.reply(c.replyTo(), Reply.ok(new StoreResult(List.of(), modified)));
        }
        return effects.persist(new FlagsUpdated(c.folder(), updates)).thenRun(st -> {
            watchers.publish(new MailboxEvent.FlagsChanged(c.folder(), updates));
            c.replyTo().tell(Reply.ok(new StoreResult(updates, modified)));
        });
    }
}
