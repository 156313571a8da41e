package io.mailfleet.cluster.fetchmail;

import java.util.HashSet;
import java.util.Set;

/**
 * What one remote source's entity has written: the remote message ids already queued here (POP3 UIDL,
 * IMAP {@code UIDVALIDITY:UID}), and the outcome of the polls. Immutable.
 *
 * @param lastPoll     when the last poll ended (epoch millis, 0 never)
 * @param lastSuccess  when the last successful poll ended (0 never)
 * @param lastError    the error of the last poll, null when it succeeded
 * @param failures     consecutive failed polls (the backoff exponent)
 */
public record FetchmailState(Set<String> fetched, long lastPoll, long lastSuccess, long fetchedTotal, int lastFetched,
                             String lastError, int failures) {

    public FetchmailState {
        fetched = Set.copyOf(fetched);
    }

    public static FetchmailState empty() {
        return new FetchmailState(Set.of(), 0, 0, 0, 0, null, 0);
    }

    FetchmailState with(FetchmailEntity.Fetched e) {
        Set<String> next = new HashSet<>(fetched);
        next.add(e.id());
        return new FetchmailState(next, lastPoll, lastSuccess, fetchedTotal + 1, lastFetched, lastError, failures);
    }

    FetchmailState with(FetchmailEntity.PollSucceeded e) {
        // only ids the remote still lists are worth remembering: deleted mail never comes back
        Set<String> next = new HashSet<>(fetched);
        next.retainAll(new HashSet<>(e.remoteIds()));
        return new FetchmailState(next, e.at(), e.at(), fetchedTotal, e.fetched(), null, 0);
    }

    FetchmailState with(FetchmailEntity.PollFailed e) {
        return new FetchmailState(fetched, e.at(), lastSuccess, fetchedTotal, e.fetched(), e.error(), failures + 1);
    }
}
