package io.mailfleet.server.ldap;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.SearchResultEntry;
import io.mailfleet.core.directory.Account;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.core.directory.DomainDirectory;
import io.mailfleet.core.directory.ResolverOptions;
import io.mailfleet.core.service.DirectoryService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The directory with {@code ACCOUNT_PROVISIONER=LDAP}: accounts, aliases, groups, domains and allowed
 * senders are looked up in LDAP with docker-mailserver's Postfix filters ({@code LDAP_QUERY_FILTER_*},
 * {@code %s} = the address, {@code @domain} or the domain; the answer is each entry's {@code mail}).
 * {@link #prefetch} asks LDAP (or this node's {@link LookupCache}) about one address and what it expands
 * to; {@link #view()} is the underlying directory with every cached LDAP answer on top, so the SMTP
 * policy and the queue's recipient expansion decide without blocking, exactly as with files.
 * An alias or group whose members are looked up in turn gives the expansion its accounts.
 */
public final class LdapDirectory implements DirectoryService {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.ldap");

    /** What is asked of LDAP for one key. */
    enum Kind { USER, ALIAS, GROUP, DOMAIN, SENDERS }

    private final DirectoryService base;
    private final LdapSearches searches;
    private final Map<Kind, LdapFilter> filters;
    private final String resultAttribute;
    private final ResolverOptions options;
    private final LookupCache<List<String>> cache;
    private final AtomicReference<Overlay> overlay = new AtomicReference<>(new Overlay(-1, null, DirectoryView.empty()));

    /** The base view with the LDAP answers of one cache version on top. */
    private record Overlay(long version, DirectoryView base, DirectoryView view) {
    }

    /**
     * @param base   the node's own directory (file accounts, if any, stay valid; writes go there)
     * @param filters the filter per look-up kind
     */
    public LdapDirectory(DirectoryService base, LdapSearches searches, Map<Kind, LdapFilter> filters,
                         String resultAttribute, ResolverOptions options, LookupCache<List<String>> cache) {
        this.base = base;
        this.searches = searches;
        this.filters = Map.copyOf(filters);
        this.resultAttribute = resultAttribute;
        this.options = options;
        this.cache = cache;
    }

    /** The filters of docker-mailserver's variables, by kind. */
    public static Map<Kind, LdapFilter> filters(LdapFilter user, LdapFilter alias, LdapFilter group, LdapFilter domain,
                                                LdapFilter senders) {
        return Map.of(Kind.USER, user, Kind.ALIAS, alias, Kind.GROUP, group, Kind.DOMAIN, domain, Kind.SENDERS, senders);
    }

    @Override
    public DirectoryView view() {
        DirectoryView b = base.view();
        long v = cache.version();
        Overlay o = overlay.get();
        if (o.version() == v && o.base() == b) {
            return o.view();
        }
        Overlay built = new Overlay(v, b, build(b));
        overlay.compareAndSet(o, built);
        return built.view();
    }

    @Override
    public java.util.concurrent.CompletionStage<Void> apply(DirectoryChange change) {
        return base.apply(change);
    }

    @Override
    public boolean ready() {
        return base.ready();
    }

    @Override
    public CompletableFuture<Void> prefetch(String address, String login) {
        String key = normalize(address);
        if (key.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (login != null) {
            return lookup(Kind.SENDERS, key).thenApply(x -> null);
        }
        return recipient(key, 0, java.util.concurrent.ConcurrentHashMap.newKeySet());
    }

    /** Looks up {@code key} as Postfix would resolve it, then what its aliases and groups lead to. */
    private CompletableFuture<Void> recipient(String key, int depth, Set<String> seen) {
        if (!seen.add(key) || depth > options.maxDepth()) {
            return CompletableFuture.completedFuture(null);
        }
        int at = key.lastIndexOf('@');
        if (at < 0 || at == key.length() - 1) {
            return options.postmasterAddress() != null && (key.equals("postmaster") || key.equals("root"))
                    ? recipient(normalize(options.postmasterAddress()), depth + 1, seen)
                    : CompletableFuture.completedFuture(null);
        }
        String domain = key.substring(at + 1);
        return isLocal(domain).thenCompose(local -> {
            if (!local) {
                return CompletableFuture.completedFuture(null);
            }
            Set<String> keys = new LinkedHashSet<>();
            keys.add(key);
            keys.add(withoutDetail(key));
            List<CompletableFuture<List<String>>> asked = new ArrayList<>();
            List<CompletableFuture<List<String>>> onward = new ArrayList<>();
            for (String k : keys) {
                asked.add(lookup(Kind.USER, k));
                onward.add(lookup(Kind.ALIAS, k));
                onward.add(lookup(Kind.GROUP, k));
            }
            onward.add(lookup(Kind.ALIAS, "@" + domain)); // the catch-all, as Postfix asks its alias maps
            asked.addAll(onward);
            String bare = withoutDetail(key);
            String localPart = bare.substring(0, bare.lastIndexOf('@'));
            List<CompletableFuture<Void>> next = new ArrayList<>();
            if (options.postmasterAddress() != null && (localPart.equals("postmaster") || localPart.equals("root"))) {
                next.add(recipient(normalize(options.postmasterAddress()), depth + 1, seen));
            }
            return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenCompose(x -> {
                // alias and group answers are where the mail goes on to: look those up in turn
                for (CompletableFuture<List<String>> answer : onward) {
                    for (String target : answer.join()) {
                        next.add(recipient(normalize(target), depth + 1, seen));
                    }
                }
                return CompletableFuture.allOf(next.toArray(CompletableFuture[]::new));
            });
        });
    }

    private CompletableFuture<Boolean> isLocal(String domain) {
        if (base.view().isLocalDomain(domain)) {
            return CompletableFuture.completedFuture(true);
        }
        return lookup(Kind.DOMAIN, domain).thenApply(found -> !found.isEmpty());
    }

    /** The {@code mail} values of the entries {@code kind}'s filter finds for {@code key}, cached. */
    CompletableFuture<List<String>> lookup(Kind kind, String key) {
        return cache.get(kind + ":" + key, () -> {
            Filter f = filters.get(kind).forKey(key);
            return searches.search(f, resultAttribute).thenApply(entries -> {
                List<String> values = new ArrayList<>();
                for (SearchResultEntry e : entries) {
                    String[] v = e.getAttributeValues(resultAttribute);
                    if (v == null) {
                        // a DOMAIN match counts even when the entry lacks the attribute
                        values.add(kind == Kind.DOMAIN ? e.getDN() : null);
                        continue;
                    }
                    for (String s : v) {
                        values.add(s.trim().toLowerCase(Locale.ROOT));
                    }
                }
                values.removeIf(s -> s == null || s.isEmpty());
                LOG.debug("ldap {} {} -> {}", kind, key, values);
                return List.copyOf(new LinkedHashSet<>(values));
            });
        });
    }

    /** The base view with every cached LDAP answer added. */
    private DirectoryView build(DirectoryView b) {
        Map<String, Map<String, Account>> accounts = new HashMap<>();
        Map<String, Map<String, List<String>>> aliases = new HashMap<>();
        Map<String, List<String>> aliasAnswers = new HashMap<>();
        Map<String, List<String>> groupAnswers = new HashMap<>();
        Set<String> domains = new HashSet<>();
        Map<String, Set<String>> senders = new HashMap<>();
        for (Map.Entry<String, List<String>> e : cache.snapshot()) {
            int colon = e.getKey().indexOf(':');
            Kind kind = Kind.valueOf(e.getKey().substring(0, colon));
            String key = e.getKey().substring(colon + 1);
            List<String> values = e.getValue();
            switch (kind) {
                case USER -> {
                    // the user filter found an entry for this address: it is a mailbox (virtual_mailbox_maps)
                    if (!values.isEmpty()) {
                        accounts.computeIfAbsent(domainOf(key), d -> new HashMap<>()).put(key, new Account(key, ""));
                    }
                }
                case ALIAS -> aliasAnswers.put(key, values);
                case GROUP -> groupAnswers.put(key, values);
                case DOMAIN -> {
                    if (!values.isEmpty()) {
                        domains.add(key);
                    }
                }
                case SENDERS -> senders.put(key, Set.copyOf(values));
            }
        }
        // Postfix asks ldap-aliases.cf before ldap-groups.cf: the first map that answers wins
        Set<String> sources = new HashSet<>(aliasAnswers.keySet());
        sources.addAll(groupAnswers.keySet());
        for (String source : sources) {
            List<String> targets = aliasAnswers.getOrDefault(source, List.of());
            if (targets.isEmpty()) {
                targets = groupAnswers.getOrDefault(source, List.of());
            }
            if (!targets.isEmpty()) {
                aliases.computeIfAbsent(domainOf(source), d -> new HashMap<>()).put(source, targets);
            }
        }
        Map<String, DomainDirectory> merged = new HashMap<>(b.domains());
        Set<String> touched = new HashSet<>(accounts.keySet());
        touched.addAll(aliases.keySet());
        for (String d : touched) {
            DomainDirectory old = merged.getOrDefault(d, DomainDirectory.empty(d));
            Map<String, Account> acc = new HashMap<>(accounts.getOrDefault(d, Map.of()));
            acc.putAll(old.accounts()); // a file account keeps its password hash
            Map<String, List<String>> al = new HashMap<>(aliases.getOrDefault(d, Map.of()));
            al.putAll(old.aliases());
            merged.put(d, new DomainDirectory(d, acc, al, old.quotas(), old.sendDenied(), old.receiveDenied()));
        }
        return new DirectoryView(merged, b.regexAliases(), domains, senders);
    }

    private String withoutDetail(String key) {
        String delims = options.recipientDelimiter();
        int at = key.lastIndexOf('@');
        if (delims.isEmpty() || at < 0) {
            return key;
        }
        for (int i = 1; i < at; i++) {
            if (delims.indexOf(key.charAt(i)) >= 0) {
                return key.substring(0, i) + key.substring(at);
            }
        }
        return key;
    }

    private static String domainOf(String key) {
        int at = key.lastIndexOf('@');
        return at < 0 ? "" : key.substring(at + 1);
    }

    private static String normalize(String address) {
        String s = address == null ? "" : address.strip();
        if (s.length() >= 2 && s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1);
        }
        return s.toLowerCase(Locale.ROOT);
    }

    /** The look-up answers this node holds. */
    public int cachedAnswers() {
        return cache.size();
    }
}
