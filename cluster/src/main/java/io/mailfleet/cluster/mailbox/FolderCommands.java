package io.mailfleet.cluster.mailbox;

import io.mailfleet.cluster.mailbox.MailboxEntity.CreateFolders;
import io.mailfleet.cluster.mailbox.MailboxEntity.DeleteFolder;
import io.mailfleet.cluster.mailbox.MailboxEntity.Event;
import io.mailfleet.cluster.mailbox.MailboxEntity.FolderCreated;
import io.mailfleet.cluster.mailbox.MailboxEntity.FolderDeleted;
import io.mailfleet.cluster.mailbox.MailboxEntity.FolderRenamed;
import io.mailfleet.cluster.mailbox.MailboxEntity.ListFolders;
import io.mailfleet.cluster.mailbox.MailboxEntity.RenameFolder;
import io.mailfleet.cluster.mailbox.MailboxEntity.Reply;
import io.mailfleet.cluster.mailbox.MailboxEntity.Subscribe;
import io.mailfleet.cluster.mailbox.MailboxEntity.SubscriptionChanged;
import io.mailfleet.core.mailbox.FolderInfo;
import io.mailfleet.core.mailbox.MailboxEvent;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The folder commands of {@link MailboxEntity}: LIST, CREATE, DELETE, RENAME, SUBSCRIBE. */
final class FolderCommands {

    private final EffectFactories<Event, MailboxState> effects;
    private final MailboxWatchers watchers;
    private final UsagePublisher usage;
    private final RecentClaims claims;

    FolderCommands(EffectFactories<Event, MailboxState> effects, MailboxWatchers watchers, UsagePublisher usage,
                   RecentClaims claims) {
        this.effects = effects;
        this.watchers = watchers;
        this.usage = usage;
        this.claims = claims;
    }

    /** The events that create the default folders of a new mailbox. */
    static List<Event> defaultFolders(MailboxState s) {
        List<Event> events = new ArrayList<>();
        long v = s.newUidValidity(Instant.now().getEpochSecond());
        for (String[] f : MailboxEntity.DEFAULT_FOLDERS) {
            events.add(new FolderCreated(f[0], v++, f[1], true));
        }
        return events;
    }

    Effect<Event, MailboxState> list(MailboxState s, ListFolders c) {
        List<FolderInfo> out = new ArrayList<>();
        for (FolderState f : s.folders().values()) {
            out.add(new FolderInfo(f.name(), f.specialUse(), f.subscribed(), f.uidValidity(), f.uidNext(), f.count(),
                    f.unseen(), f.recentCount(), f.size(), f.highestModseq()));
        }
        s.subscriptionsWithoutFolder().forEach(n -> out.add(FolderInfo.subscriptionOnly(n)));
        return effects.reply(c.replyTo(), Reply.ok(out));
    }

    /** Creates the folders, parents first; the last name must not exist yet. */
    Effect<Event, MailboxState> create(MailboxState s, CreateFolders c) {
        List<Event> events = new ArrayList<>();
        long v = s.newUidValidity(Instant.now().getEpochSecond());
        for (int i = 0; i < c.names().size(); i++) {
            String name = c.names().get(i);
            boolean last = i == c.names().size() - 1;
            if (s.folder(name) != null) {
                if (last) {
                    return effects.reply(c.replyTo(), Reply.error("ALREADYEXISTS", "Mailbox already exists"));
                }
                continue;
            }
            events.add(new FolderCreated(name, v++, last ? c.specialUse() : null, false));
        }
        return effects.persist(events).thenReply(c.replyTo(), st -> Reply.<Void>ok(null));
    }

    Effect<Event, MailboxState> delete(MailboxState s, DeleteFolder d) {
        if ("INBOX".equals(d.name())) {
            return effects.reply(d.replyTo(), Reply.error("CANNOT", "INBOX can't be deleted."));
        }
        if (s.folder(d.name()) == null) {
            return effects.reply(d.replyTo(), Reply.error("NONEXISTENT", "Mailbox doesn't exist."));
        }
        String prefix = d.name() + d.delimiter();
        for (String n : s.folders().keySet()) {
            if (n.startsWith(prefix)) {
                return effects.reply(d.replyTo(), Reply.error("INUSE", "Mailbox has children, delete them first"));
            }
        }
        // Claims are written first: they name folders, and the name may be reused after this.
        List<Event> events = claims.take();
        events.add(new FolderDeleted(d.name()));
        return effects.persist(events).thenRun(st -> {
            watchers.publish(new MailboxEvent.FolderRemoved(d.name()));
            usage.changed(st.usedBytes());
            d.replyTo().tell(Reply.ok(null));
        });
    }

    /** Renames a folder with its children, creating missing parents of the new name. */
    Effect<Event, MailboxState> rename(MailboxState s, RenameFolder r) {
        if (s.folder(r.from()) == null) {
            return effects.reply(r.replyTo(), Reply.error("NONEXISTENT", "Mailbox doesn't exist."));
        }
        if (s.folder(r.to()) != null) {
            return effects.reply(r.replyTo(), Reply.error("ALREADYEXISTS", "Target mailbox already exists"));
        }
        if (r.to().startsWith(r.from() + r.delimiter()) || "INBOX".equals(r.to())) {
            return effects.reply(r.replyTo(), Reply.error("CANNOT", "Can't rename mailbox under itself"));
        }
        List<String> moved = new ArrayList<>();
        for (String n : s.folders().keySet()) {
            if (n.equals(r.from()) || n.startsWith(r.from() + r.delimiter())) {
                moved.add(n);
            }
        }
        List<Event> events = claims.take();
        long v = s.newUidValidity(Instant.now().getEpochSecond());
        String[] parts = r.to().split(Pattern.quote(String.valueOf(r.delimiter())));
        StringBuilder parent = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            parent.append(i == 0 ? "" : String.valueOf(r.delimiter())).append(parts[i]);
            String p = parent.toString();
            if (s.folder(p) == null && !moved.contains(p)) {
                events.add(new FolderCreated(p, v++, null, false));
            }
        }
        events.add(new FolderRenamed(r.from(), r.to(), r.delimiter(), v));
        return effects.persist(events).thenRun(st -> {
            moved.forEach(n -> watchers.publish(new MailboxEvent.FolderRemoved(n)));
            r.replyTo().tell(Reply.ok(null));
        });
    }

    /** Subscribes or unsubscribes; a name without a folder may be unsubscribed but not subscribed. */
    Effect<Event, MailboxState> subscribe(MailboxState s, Subscribe sub) {
        FolderState f = s.folder(sub.name());
        boolean subscribed = f != null ? f.subscribed() : s.subscriptionsWithoutFolder().contains(sub.name());
        if (f == null && sub.subscribed() && !subscribed) {
            return effects.reply(sub.replyTo(), Reply.error("NONEXISTENT", "Mailbox doesn't exist."));
        }
        if (subscribed == sub.subscribed()) {
            return effects.reply(sub.replyTo(), Reply.ok(null));
        }
        return effects.persist(new SubscriptionChanged(sub.name(), sub.subscribed()))
                .thenReply(sub.replyTo(), st -> Reply.<Void>ok(null));
    }
}
