package io.mailfleet.cluster.mailbox;

import io.mailfleet.core.mailbox.MailboxEvent;
import io.mailfleet.core.mailbox.MessageView;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The node watchers of one {@link MailboxEntity} incarnation and the change events told to them.
 * Held in memory only: watchers re-register periodically and resynchronise when the incarnation
 * changes (see {@link MailboxEntity.Watching}).
 */
final class MailboxWatchers {

    private final ActorContext<MailboxEntity.Command> context;
    private final Set<ActorRef<MailboxEvent>> watchers = new HashSet<>();
    private final String incarnation = UUID.randomUUID().toString();

    MailboxWatchers(ActorContext<MailboxEntity.Command> context) {
        this.context = context;
    }

    /** Registers {@code watcher} (idempotent) and tells who this incarnation is. */
    MailboxEntity.Watching watch(ActorRef<MailboxEvent> watcher) {
        if (watchers.add(watcher)) {
            context.watchWith(watcher, new MailboxEntity.WatcherGone(watcher));
        }
        return new MailboxEntity.Watching(incarnation, context.getSelf());
    }

    void unwatch(ActorRef<MailboxEvent> watcher) {
        if (watchers.remove(watcher)) {
            context.unwatch(watcher);
        }
    }

    /** The watcher stopped or its node left: nothing to unwatch any more. */
    void gone(ActorRef<MailboxEvent> watcher) {
        watchers.remove(watcher);
    }

    void publish(MailboxEvent e) {
        for (ActorRef<MailboxEvent> w : watchers) {
            w.tell(e);
        }
    }

    /** Tells the watchers about {@code metas}, now in {@code folder} of {@code st}. */
    void publishAdded(MailboxState st, String folder, List<MessageMeta> metas) {
        FolderState f = st.folder(folder);
        publish(new MailboxEvent.MessagesAdded(folder, f.uidValidity(), views(f, metas)));
    }

    /** The messages as sessions see them, with the summaries the folder holds. */
    static List<MessageView> views(FolderState f, Iterable<MessageMeta> metas) {
        List<MessageView> out = new ArrayList<>();
        for (MessageMeta m : metas) {
            out.add(new MessageView(m.uid(), m.modseq(), m.flags(), m.internalDate(), m.blob(), f.summary(m.uid())));
        }
        return out;
    }
}
