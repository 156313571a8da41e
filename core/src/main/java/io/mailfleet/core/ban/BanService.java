package io.mailfleet.core.ban;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The cluster-wide ban list (docker-mailserver's Fail2ban). Protocols report failures and ask,
 * at accept, whether a client is banned; operators ban, unban and list.
 */
public interface BanService {

    /**
     * Counts a failure, also from an address that is banned already; never blocks. Ignored addresses
     * and unparsable IPs are skipped. Callers may ignore the result (fire and forget); a login that
     * wants the ban in force everywhere before it answers the client waits for it.
     *
     * @param ip       the client's IP address as text
     * @param protocol {@code smtp} (AUTH), {@code smtp-protocol} (abuse), {@code imap}, {@code pop3}
     *                 or {@code managesieve}; decides the jail (see {@link Jail#forProtocol})
     * @param reason   a short description for the log and the ban listing
     * @return completes once the failure is recorded and, when it caused a ban, the ban has been
     *         written to every reachable node (or that write timed out); never fails
     */
    CompletionStage<FailureReport> reportFailure(String ip, String protocol, String reason);

    /** Whether {@code address} is banned right now, from this node's replicated copy: local, non-blocking. */
    boolean isBanned(InetAddress address);

    /**
     * Whether {@code address} is banned right now, including bans written to this node a moment ago
     * whose change notification has not reached {@link #isBanned} yet. For login attempts, which
     * are asynchronous anyway.
     */
    default CompletionStage<Boolean> isBannedNow(InetAddress address) {
        return java.util.concurrent.CompletableFuture.completedFuture(isBanned(address));
    }

    /**
     * Calls {@code listener} (on any thread, must not block) whenever this node's view of the bans
     * changes, e.g. to close the open sessions of an address banned on another node.
     *
     * @return closing it stops the calls
     */
    default AutoCloseable onChange(Runnable listener) {
        return () -> { };
    }

    /** The block type to apply to banned clients. */
    BlockType blockType();

    /**
     * Bans an address or network in the {@code custom} jail for the manual ban time. Fails with
     * {@link BanException} ({@code invalid-ip}, {@code already-banned}, {@code ignored}, and {@code too-wide}
     * for a network wider than {@link BanPolicy#widest()} unless {@code force}).
     */
    CompletionStage<Ban> ban(String ipOrNetwork, boolean force);

    /** {@link #ban(String, boolean)} without force. */
    default CompletionStage<Ban> ban(String ipOrNetwork) {
        return ban(ipOrNetwork, false);
    }

    /**
     * Removes an address or network from every jail; completes with the jails it was removed from
     * (empty when it was not banned). Fails with {@link BanException} {@code invalid-ip}.
     */
    CompletionStage<List<Jail>> unban(String ipOrNetwork);

    /** The active bans known to this node, sorted by jail then network. */
    CompletionStage<List<Ban>> bans();

    /** The policy in force (thresholds, times, ignore list). */
    BanPolicy policy();
}
