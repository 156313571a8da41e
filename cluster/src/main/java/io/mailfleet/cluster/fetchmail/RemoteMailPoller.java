package io.mailfleet.cluster.fetchmail;

import java.util.List;
import java.util.Set;

/**
 * Fetches the new mail of one remote source and hands it to the local queue (implemented by the
 * server with a mail client). Blocking: the entity runs it on the blocking dispatcher, never on its
 * own thread.
 */
public interface RemoteMailPoller {

    /**
     * Polls {@code source} once: every remote message whose id is not in {@code fetched} is queued
     * locally, then reported to {@code sink} (which returns once the id is persisted), and only then
     * deleted on the remote when the source does not keep mail.
     *
     * @throws Exception when the poll failed (login refused, server unreachable, garbage answers); what
     *                   was reported to {@code sink} before stays fetched
     */
    Result poll(String source, Set<String> fetched, FetchedSink sink) throws Exception;

    /** Persists one fetched message id before the remote copy may be deleted. */
    interface FetchedSink {
        void fetched(String id) throws Exception;
    }

    /**
     * @param fetched   messages queued in this poll
     * @param remoteIds the ids the remote listed (the remembered ids are pruned to these)
     */
    record Result(int fetched, List<String> remoteIds) {
        public Result {
            remoteIds = List.copyOf(remoteIds);
        }
    }
}
