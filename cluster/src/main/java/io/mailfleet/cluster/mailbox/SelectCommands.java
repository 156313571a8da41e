package io.mailfleet.cluster.mailbox;

import io.mailfleet.cluster.mailbox.MailboxEntity.AttachSummaries;
import io.mailfleet.cluster.mailbox.MailboxEntity.ChangesSince;
import io.mailfleet.cluster.mailbox.MailboxEntity.ClaimRecent;
import io.mailfleet.cluster.mailbox.MailboxEntity.Event;
import io.mailfleet.cluster.mailbox.MailboxEntity.ExpungedSince;
import io.mailfleet.cluster.mailbox.MailboxEntity.Reply;
import io.mailfleet.cluster.mailbox.MailboxEntity.Select;
import io.mailfleet.cluster.mailbox.MailboxEntity.SummariesAttached;
import io.mailfleet.core.mailbox.FolderChanges;
import io.mailfleet.core.mailbox.FolderSnapshot;
import io.mailfleet.core.mime.MessageSummary;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a session reads of a folder from {@link MailboxEntity}: SELECT/EXAMINE, the changes since a
 * modseq (NOOP, IDLE, QRESYNC), \\Recent claims, and summaries parsed outside the entity.
 */
final class SelectCommands {

    private final EffectFactories<Event, MailboxState> effects;
    private final RecentClaims claims;

    SelectCommands(EffectFactories<Event, MailboxState> effects, RecentClaims claims) {
        this.effects = effects;
        this.claims = claims;
    }

    /** The folder's messages; SELECT claims the \\Recent ones, EXAMINE only reports them (RFC 3501 §6.3.2). */
    Effect<Event, MailboxState> select(MailboxState s, Select c) {
        FolderState f = s.folder(c.folder());
        if (f == null) {
            return effects.reply(c.replyTo(), Reply.error("NONEXISTENT", "Mailbox doesn't exist."));
        }
        Set<Long> recent = recent(f);
        FolderSnapshot snap = new FolderSnapshot(f.name(), f.uidValidity(), f.uidNext(), f.highestModseq(),
                MailboxWatchers.views(f, f.messages()), recent);
        if (c.claimRecent() && !recent.isEmpty()) {
            claims.claim(f, f.messageMap().lastKey());
        }
        return effects.reply(c.replyTo(), Reply.ok(snap));
    }

    Effect<Event, MailboxState> changesSince(MailboxState s, ChangesSince c) {
        FolderState f = s.folder(c.folder());
        if (f == null) {
            return effects.reply(c.replyTo(), Reply.error("NONEXISTENT", "Mailbox doesn't exist."));
        }
        List<MessageMeta> changed = f.changedSince(c.modseq());
        List<Long> expunged = f.expungedSince(c.modseq());
        Set<Long> recent = c.claimRecent() ? recent(f) : Set.of();
        FolderChanges answer = new FolderChanges(f.name(), f.uidValidity(), f.uidNext(), f.highestModseq(),
                MailboxWatchers.views(f, changed), expunged, recent);
        if (!recent.isEmpty()) {
            claims.claim(f, f.messageMap().lastKey());
        }
        return effects.reply(c.replyTo(), Reply.ok(answer));
    }

    /** Of {@code uids}, the ones nobody has seen as \\Recent yet, now claimed by the asker. */
    Effect<Event, MailboxState> claimRecent(MailboxState s, ClaimRecent c) {
        FolderState f = s.folder(c.folder());
        TreeSet<Long> owned = new TreeSet<>();
        if (f != null) {
            for (long uid : c.uids()) {
                if (uid > f.recentBoundary() && f.message(uid) != null) {
                    owned.add(uid);
                }
            }
        }
        if (owned.isEmpty()) {
            return effects.reply(c.replyTo(), Reply.ok(Set.of()));
        }
        claims.claim(f, owned.last());
        return effects.reply(c.replyTo(), Reply.ok(Set.copyOf(owned)));
    }

    Effect<Event, MailboxState> expungedSince(MailboxState s, ExpungedSince c) {
        FolderState f = s.folder(c.folder());
        List<Long> out = f == null ? List.of() : f.expungedSince(c.modseq());
        return effects.reply(c.replyTo(), Reply.ok(out));
    }

    /** Keeps the summaries of messages that still exist and have none yet. */
    Effect<Event, MailboxState> attachSummaries(MailboxState s, AttachSummaries c) {
        FolderState f = s.folder(c.folder());
        Map<Long, MessageSummary> missing = new HashMap<>();
        if (f != null) {
            c.summaries().forEach((uid, sum) -> {
                if (f.message(uid) != null && f.summary(uid) == null && sum != null) {
                    missing.put(uid, sum);
                }
            });
        }
        if (missing.isEmpty()) {
            return effects.reply(c.replyTo(), Reply.ok(null));
        }
        return effects.persist(new SummariesAttached(c.folder(), missing))
                .thenReply(c.replyTo(), st -> Reply.<Void>ok(null));
    }

    private static Set<Long> recent(FolderState f) {
        return new HashSet<>(f.messageMap().tailMap(f.recentBoundary(), false).keySet());
    }
}
