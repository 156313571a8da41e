package io.mailfleet.core.spam.uribl;

import io.mailfleet.core.auth.dmarc.PublicSuffixList;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The distinct targets of one message, in order of first appearance and by how sure it is that a
 * reader is meant to visit them: links (a scheme, {@code www.}, an HTML {@code href}) first, then
 * bare domains in the text, then e-mail address domains; domains in the skip set are dropped (they
 * take no place). Each kind keeps at most {@code max}; once
 * the links alone fill it, {@link #full()} tells the scanners to stop reading.
 */
final class LinkCollector {

    /** How a host was found; the order is the order of preference. */
    enum Kind { LINK, BARE, EMAIL }

    /** Hosts remembered to skip repeats; past this many each repeat is looked at again (bounded either way). */
    private static final int MAX_SEEN = 10_000;

    private final int max;
    private final boolean emails;
    private final PublicSuffixList psl;
    private final Set<String> skip;
    private final List<Set<LinkTarget>> byKind = List.of(new LinkedHashSet<>(), new LinkedHashSet<>(),
            new LinkedHashSet<>());
    private final Set<String> hostsSeen = new java.util.HashSet<>();

    LinkCollector(int max, boolean emails, PublicSuffixList psl, Set<String> skip) {
        this.max = max;
        this.emails = emails;
        this.psl = psl;
        this.skip = skip;
    }

    boolean emails() {
        return emails;
    }

    /** Whether more text cannot change the result. */
    boolean full() {
        return byKind.get(0).size() >= max;
    }

    /**
     * Adds a host found as {@code kind} (already normalized by {@link HostNames}); a domain whose
     * suffix the Public Suffix List does not know, that is itself a public suffix, or that is skipped, is dropped.
     */
    void add(String host, Kind kind) {
        if (host == null || kind == Kind.EMAIL && !emails) {
            return;
        }
        Set<LinkTarget> set = byKind.get(kind.ordinal());
        if (set.size() >= max || hostsSeen.size() < MAX_SEEN && !hostsSeen.add(kind.ordinal() + host)) {
            return;
        }
        LinkTarget t = target(host);
        if (t != null) {
            set.add(t);
        }
    }

    private LinkTarget target(String host) {
        if (host.equals(HostNames.ipv4(host))) {
            return new LinkTarget(host, true);
        }
        if (!psl.knownSuffix(host)) {
            return null;
        }
        String org = psl.organizationalDomain(host);
        return org.equals(psl.publicSuffix(host)) || skip.contains(org) ? null : new LinkTarget(org, false);
    }

    /** At most {@code max} distinct targets: links, then bare domains, then e-mail domains. */
    List<LinkTarget> targets() {
        Set<LinkTarget> all = new LinkedHashSet<>();
        for (Set<LinkTarget> s : byKind) {
            for (LinkTarget t : s) {
                if (all.size() >= max) {
                    return List.copyOf(all);
                }
                all.add(t);
            }
        }
        return new ArrayList<>(all);
    }
}
