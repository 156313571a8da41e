package io.mailfleet.core.mailbox;

import java.util.List;

/** A change of an account's mailbox, published cluster-wide to every session watching the account. */
public sealed interface MailboxEvent {

    String folder();

    /** New messages (delivery, APPEND, COPY, MOVE) in uid order. */
    record MessagesAdded(String folder, long uidValidity, List<MessageView> messages) implements MailboxEvent {
        public MessagesAdded {
            messages = List.copyOf(messages);
        }
    }

    /** Flags of some messages changed. */
    record FlagsChanged(String folder, List<FlagUpdate> updates) implements MailboxEvent {
        public FlagsChanged {
            updates = List.copyOf(updates);
        }
    }

    /** Messages were removed. */
    record MessagesExpunged(String folder, List<Long> uids, long modseq) implements MailboxEvent {
        public MessagesExpunged {
            uids = List.copyOf(uids);
        }
    }

    /** Changes may have been missed (first registration, mailbox restarted): re-read {@code folder}, any when null. */
    record Resync(String folder) implements MailboxEvent {
    }

    /** The folder was deleted or renamed away. */
    record FolderRemoved(String folder) implements MailboxEvent {
    }
}
