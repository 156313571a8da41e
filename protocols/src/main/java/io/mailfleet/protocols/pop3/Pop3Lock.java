package io.mailfleet.protocols.pop3;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One POP3 session per maildrop at a time (RFC 1939 §8), across every node of the cluster.
 * {@code io.mailfleet.cluster.pop3.ClusterPop3Locks::tryLock} implements it.
 */
@FunctionalInterface
public interface Pop3Lock {

    /**
     * Takes the maildrop of {@code account}.
     *
     * @param owner describes the session, for logs
     * @return the action releasing the maildrop, or empty when another session holds it
     */
    CompletionStage<Optional<Runnable>> tryLock(String account, String owner);
}
