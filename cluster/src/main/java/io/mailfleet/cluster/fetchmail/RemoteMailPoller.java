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

    /**
     * Starts watching {@code source} for mail the remote announces as it arrives (IMAP IDLE, RFC 2177), on
     * a connection and thread of the poller's own; returns at once. Null when the source is not watched
     * (POP3, {@code no idle}, a source this node does not know). The watch only says that there is new
     * mail: fetching it stays {@link #poll}'s job.
     */
    default Watch watch(String source, WatchListener listener) {
        return null;
    }

    /** A running watch. */
    interface Watch {
        /** Ends the watch and its connection; never blocks, and nothing is reported afterwards. */
        void close();
    }

    /** What a watch reports, from its own thread. */
    interface WatchListener {
        /** The remote announced new mail (and once when the watch is established, for what came before). */
        void newMail();

        /**
         * The watch ended by itself: {@code unsupported} when the server does not offer IDLE, otherwise
         * {@code error} says what went wrong. Nothing is reported after this.
         */
        void ended(boolean unsupported, String error);

        /** The watch has (re)issued its IDLE command; reports liveness only. */
        default void idling() {
        }
    }

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
