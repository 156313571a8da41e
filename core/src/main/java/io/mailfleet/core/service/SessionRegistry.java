package io.mailfleet.core.service;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The live sessions of every account (the {@code Sessions} entity of the cluster): protocols register
 * each authenticated session, the registry enforces the per-user-and-IP connection limit (Dovecot's
 * {@code mail_max_userip_connections}) over all nodes, and operators list and kick sessions.
 */
public interface SessionRegistry {

    /**
     * Registers a session that has just authenticated.
     *
     * @param account  the authenticated account
     * @param protocol {@code imap}, {@code pop3}, {@code managesieve}, ...
     * @param remoteIp the client's address
     * @param maxPerIp sessions the account may hold with this protocol from this address, this one
     *                 included; 0 registers without a limit
     * @param kick     run on this node when an operator kicks the session; must not block (it should
     *                 hand the work to the session's own thread and close the connection there)
     * @return the lease to close when the session ends, or empty when the limit is reached
     */
    CompletionStage<Optional<SessionLease>> open(String account, String protocol, String remoteIp, int maxPerIp,
                                                 Runnable kick);

    /** The live sessions of one account, oldest first. */
    CompletionStage<List<SessionInfo>> list(String account);

    /** Every live session, by account then age. */
    CompletionStage<List<SessionInfo>> listAll();

    /**
     * Disconnects the sessions of {@code account}: all of them, or only the one with {@code sessionId}.
     *
     * @return how many sessions were told to close (0 when none matched)
     */
    CompletionStage<Integer> kick(String account, Optional<String> sessionId);

    /** A registry for one process without a cluster (protocol tests, embedding): see {@link InMemorySessionRegistry}. */
    static SessionRegistry inMemory() {
        return new InMemorySessionRegistry("local");
    }
}
