package io.mailfleet.protocols.pop3.handler;

import io.mailfleet.core.mailbox.FlagOperation;
import io.mailfleet.core.mailbox.MailboxService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** QUIT: logs out, and from TRANSACTION enters UPDATE: retrieved messages become \Seen, marked ones are expunged. */
final class UpdateHandler {

    private static final Logger LOG = LoggerFactory.getLogger(UpdateHandler.class);

    private final Pop3Context s;
    private final Maildrop drop;

    UpdateHandler(Pop3Context s, Maildrop drop) {
        this.s = s;
        this.drop = drop;
    }

    void quit() {
        if (s.state() != Pop3State.TRANSACTION) {
            s.closeWith("+OK Logging out.\r\n");
            return;
        }
        s.enter(Pop3State.UPDATE);
        String account = s.account();
        List<Long> gone = drop.deletedUids();
        List<Long> seen = drop.newlySeenUids();
        MailboxService mailboxes = s.services().mailboxes();
        CompletionStage<?> update = CompletableFuture.completedFuture(null);
        if (!seen.isEmpty()) {
            update = update.thenCompose(x -> mailboxes.store(account, "INBOX", seen, FlagOperation.ADD,
                    Set.of("\\Seen"), -1));
        }
        if (!gone.isEmpty()) {
            update = update.thenCompose(x -> mailboxes.store(account, "INBOX", gone, FlagOperation.ADD,
                    Set.of("\\Deleted"), -1)).thenCompose(x -> mailboxes.expunge(account, "INBOX", gone));
        }
        s.hangUp();
        s.netty().channel().config().setAutoRead(false);
        update.whenCompleteAsync((v, err) -> {
            s.releaseLock();
            String line;
            if (err != null) {
                LOG.warn("POP3 QUIT of {} could not remove {} messages: {}", account, gone.size(), err.toString());
                line = "-ERR [SYS/TEMP] Some deleted messages were not removed.";
            } else {
                line = gone.isEmpty() ? "+OK Logging out." : "+OK Logging out, messages deleted.";
            }
            if (s.netty().channel().isActive()) {
                s.closeWith(line + "\r\n");
            }
        }, s.netty().executor());
    }
}
