package io.mailfleet.cluster.directory;

import io.mailfleet.core.directory.DomainDirectory;
import io.mailfleet.core.directory.RegexAlias;

import java.util.List;

/**
 * What one {@code Directory} entity owns: its domain's records, and for the global entity the
 * regular-expression aliases. This is also the value replicated to every node's read cache;
 * {@code version} is the entity's event sequence number when the value was published.
 */
public record DirectoryState(DomainDirectory directory, List<RegexAlias> regexAliases, long version) {

    public DirectoryState {
        regexAliases = List.copyOf(regexAliases);
    }

    public static DirectoryState empty(String domain) {
        return new DirectoryState(DomainDirectory.empty(domain), List.of(), 0);
    }

    /** The same content stamped with the entity's sequence number, so caches keep the newest. */
    public DirectoryState withVersion(long v) {
        return new DirectoryState(directory, regexAliases, v);
    }
}
