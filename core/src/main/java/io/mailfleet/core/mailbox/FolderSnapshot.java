package io.mailfleet.core.mailbox;

import java.util.List;
import java.util.Set;

/** A selected folder at one moment: messages in uid order and the uids recent to this session. */
public record FolderSnapshot(String folder, long uidValidity, long uidNext, long highestModseq,
                             List<MessageView> messages, Set<Long> recent) {
    public FolderSnapshot {
        messages = List.copyOf(messages);
        recent = Set.copyOf(recent);
    }
}
