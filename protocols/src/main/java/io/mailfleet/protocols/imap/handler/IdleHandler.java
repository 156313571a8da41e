package io.mailfleet.protocols.imap.handler;

import io.mailfleet.protocols.imap.command.StateCommands;

/**
 * IDLE (RFC 2177): the client waits for news; other sessions' changes are reconciled and told at
 * once (see {@link FolderUpdates}) until the client sends DONE, which the session's framing reads.
 */
final class IdleHandler {

    private final ImapContext ctx;

    IdleHandler(ImapContext ctx) {
        this.ctx = ctx;
    }

    void idle(String tag, StateCommands.Idle r) {
        ctx.idle(tag);
        ctx.updates().flushDeferredExpunges();
        ctx.send("+ idling\r\n");
        if (ctx.session().selected != null) {
            ctx.updates().sync(ctx.netty()::flush);
        }
    }
}
