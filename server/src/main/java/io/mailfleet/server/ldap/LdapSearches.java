package io.mailfleet.server.ldap;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import io.mailfleet.core.directory.DirectoryUnavailableException;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs searches on one {@link LdapConnections} pool on a bounded executor, never on the caller's
 * thread (a Netty event loop or an actor). Any failure to get an answer (server down, refused bind,
 * time-out, a full executor) completes with {@link DirectoryUnavailableException}; "no such entry" is
 * an answer (an empty list), never an error.
 */
public final class LdapSearches {

    /** Postfix and Dovecot take the first few hundred; more is a filter that matches everything. */
    private static final int SIZE_LIMIT = 1000;

    private final LdapConnections ldap;
    private final Executor executor;
    private final int timeLimitSeconds;

    public LdapSearches(LdapConnections ldap, Executor executor, java.time.Duration timeout) {
        this.ldap = ldap;
        this.executor = executor;
        this.timeLimitSeconds = (int) Math.max(1, timeout.toSeconds());
    }

    /** The entries matching {@code filter} under the endpoint's base, with {@code attributes}. */
    public CompletableFuture<List<SearchResultEntry>> search(Filter filter, String... attributes) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                SearchRequest req = new SearchRequest(ldap.endpoint().base(), SearchScope.SUB, filter, attributes);
                req.setSizeLimit(SIZE_LIMIT);
                req.setTimeLimitSeconds(timeLimitSeconds);
                try {
                    SearchResult r = ldap.pool().search(req);
                    return List.copyOf(r.getSearchEntries());
                } catch (LDAPException e) {
                    if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                        return List.<SearchResultEntry>of(); // the base itself is missing: nothing matches
                    }
                    throw unavailable(e);
                }
            }, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new DirectoryUnavailableException("LDAP look-ups saturated", e));
        }
    }

    static DirectoryUnavailableException unavailable(LDAPException e) {
        return new DirectoryUnavailableException("LDAP " + e.getResultCode() + ": " + e.getExceptionMessage(), e);
    }

    public Executor executor() {
        return executor;
    }

    public LdapConnections connections() {
        return ldap;
    }
}
