package io.mailfleet.protocols.imap.handler;

import io.mailfleet.core.mailbox.MailboxException;
import io.mailfleet.core.mailbox.Usage;
import io.mailfleet.protocols.imap.MailboxNames;
import io.mailfleet.protocols.imap.command.MailboxCommands;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** GETQUOTAROOT, GETQUOTA, SETQUOTA (RFC 9208), and the quota check of APPEND and COPY. */
final class QuotaHandler {

    private final ImapContext ctx;
    private final SessionState session;

    QuotaHandler(ImapContext ctx) {
        this.ctx = ctx;
        this.session = ctx.session();
    }

    void getQuota(String tag, MailboxCommands.GetQuota r) {
        String name = r.root() ? "GETQUOTAROOT" : "GETQUOTA";
        String arg = r.argument();
        if (!r.root() && !arg.isEmpty()) {
            throw new MailboxException("NONEXISTENT", "Quota root doesn't exist.");
        }
        ctx.async(tag, name, ctx.services().mailboxes().usage(session.account), (Usage u) -> {
            if (r.root()) {
                ctx.untagged("QUOTAROOT " + MailboxNames.toWire(MailboxNames.fromWire(arg, ctx.settings().delimiter(),
                        session.utf8), session.utf8) + " \"\"");
            }
            long limit = limit();
            ctx.untagged("QUOTA \"\" (" + (limit > 0 ? "STORAGE " + (u.bytes() + 1023) / 1024 + " " + limit / 1024 : "")
                    + ")");
            ctx.finish(tag, "OK " + (r.root() ? "Getquotaroot" : "Getquota") + " completed.", true);
        });
    }

    void setQuota(String tag, MailboxCommands.SetQuota r) {
        ctx.finish(tag, "NO [NOPERM] Quota is set by the administrator.", true);
    }

    private long limit() {
        return ctx.services().directory().view().effectiveQuota(session.account, ctx.settings().defaultQuota());
    }

    /** Completes when {@code adding} bytes fit the account's quota; fails OVERQUOTA otherwise. */
    CompletionStage<Void> check(long adding) {
        if (!ctx.settings().quotasEnabled()) {
            return CompletableFuture.completedFuture(null);
        }
        long limit = limit();
        if (limit <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        return ctx.services().mailboxes().usage(session.account).thenAccept(u -> {
            if (u.bytes() + adding > limit) {
                throw new MailboxException("OVERQUOTA", "Quota exceeded (mailbox for user is full)");
            }
        });
    }
}
