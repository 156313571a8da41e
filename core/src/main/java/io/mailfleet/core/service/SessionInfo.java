package io.mailfleet.core.service;

import java.time.Instant;
import java.util.Objects;

/**
 * One live, authenticated session of an account.
 *
 * @param id       unique id of the session (used to kick it)
 * @param account  the account address, lower case
 * @param protocol {@code imap}, {@code pop3}, {@code managesieve}, {@code submission}
 * @param node     the cluster node holding the connection ({@code system@host:port})
 * @param remoteIp the client's address (after PROXY protocol)
 * @param since    when the session authenticated
 */
public record SessionInfo(String id, String account, String protocol, String node, String remoteIp, Instant since) {

    public SessionInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(remoteIp, "remoteIp");
        Objects.requireNonNull(since, "since");
    }
}
