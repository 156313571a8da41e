package io.mailfleet.cluster.mailbox;

import io.mailfleet.cluster.blobgc.BlobIdList;
import io.mailfleet.cluster.mailbox.MailboxEntity.Event;
import io.mailfleet.cluster.mailbox.MailboxEntity.FolderStatus;
import io.mailfleet.cluster.mailbox.MailboxEntity.GetStatus;
import io.mailfleet.cluster.mailbox.MailboxEntity.GetUsage;
import io.mailfleet.cluster.mailbox.MailboxEntity.ListBlobIds;
import io.mailfleet.cluster.mailbox.MailboxEntity.ListMessages;
import io.mailfleet.cluster.mailbox.MailboxEntity.MessageList;
import io.mailfleet.cluster.mailbox.MailboxEntity.Reply;
import io.mailfleet.cluster.mailbox.MailboxEntity.Status;
import io.mailfleet.core.mailbox.Usage;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Read-only questions about the whole account asked of {@link MailboxEntity}: quota usage, the
 * operator's status and message list, and the blob ids for garbage collection.
 */
final class AccountQueries {

    private final EffectFactories<Event, MailboxState> effects;

    AccountQueries(EffectFactories<Event, MailboxState> effects) {
        this.effects = effects;
    }

    /** Bytes and messages of the account, what its quota is measured against. */
    Effect<Event, MailboxState> usage(MailboxState s, GetUsage c) {
        return effects.reply(c.replyTo(), Reply.ok(new Usage(s.usedBytes(), s.messageCount())));
    }

    Effect<Event, MailboxState> status(MailboxState s, GetStatus c) {
        List<FolderStatus> out = new ArrayList<>();
        for (FolderState f : s.folders().values()) {
            out.add(new FolderStatus(f.name(), f.specialUse(), f.subscribed(), f.uidValidity(), f.uidNext(), f.count(),
                    f.size()));
        }
        return effects.reply(c.replyTo(), new Status(out, s.usedBytes(), s.highestModseq()));
    }

    /** The messages of a folder in uid order; none for an unknown folder. */
    Effect<Event, MailboxState> messages(MailboxState s, ListMessages c) {
        FolderState f = s.folder(c.folder());
        List<MessageMeta> list = f == null ? List.of() : List.copyOf(f.messages());
        return effects.reply(c.replyTo(), new MessageList(c.folder(), list));
    }

    /** The blob id of every message in every folder (the mark phase of blob garbage collection). */
    Effect<Event, MailboxState> blobIds(MailboxState s, ListBlobIds c) {
        Set<String> ids = new HashSet<>();
        for (FolderState f : s.folders().values()) {
            for (MessageMeta m : f.messages()) {
                ids.add(m.blob().id());
            }
        }
        return effects.reply(c.replyTo(), new BlobIdList(List.copyOf(ids)));
    }
}
