package io.mailfleet.core.directory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An immutable, consistent-per-domain view of the whole directory, as held by a node's read cache.
 * Everything on the hot path (RCPT, AUTH) reads from a view without blocking.
 */
public final class DirectoryView {

    private static final DirectoryView EMPTY = new DirectoryView(Map.of(), List.of());

    private final Map<String, DomainDirectory> domains;
    private final List<RegexAlias> regexAliases;
    private final Set<String> externalDomains;
    private final Map<String, Set<String>> senderLogins;

    public DirectoryView(Map<String, DomainDirectory> domains, List<RegexAlias> regexAliases) {
        this(domains, regexAliases, Set.of(), Map.of());
    }

    /**
     * A view with what an external source (LDAP) answered on top of the records.
     *
     * @param externalDomains domains the source calls local even where no record of theirs is held
     * @param senderLogins    envelope sender (lower-cased) to the logins the source allows to use it
     *                        ({@code LDAP_QUERY_FILTER_SENDERS}); a sender absent here is judged by the records
     */
    public DirectoryView(Map<String, DomainDirectory> domains, List<RegexAlias> regexAliases,
                         Set<String> externalDomains, Map<String, Set<String>> senderLogins) {
        this.domains = Map.copyOf(domains);
        this.regexAliases = List.copyOf(regexAliases);
        this.externalDomains = Set.copyOf(externalDomains);
        this.senderLogins = Map.copyOf(senderLogins);
    }

    public static DirectoryView empty() {
        return EMPTY;
    }

    /** Builds a view from domain records, dropping empty ones. */
    public static DirectoryView of(Collection<DomainDirectory> domainDirectories, List<RegexAlias> regex) {
        Map<String, DomainDirectory> m = new HashMap<>();
        for (DomainDirectory d : domainDirectories) {
            if (!d.isEmpty()) {
                m.put(d.domain(), d);
            }
        }
        return new DirectoryView(m, regex);
    }

    public Map<String, DomainDirectory> domains() {
        return domains;
    }

    public List<RegexAlias> regexAliases() {
        return regexAliases;
    }

    /** A domain is local when any account or alias lives in it (docker-mailserver's rule). */
    public boolean isLocalDomain(String domain) {
        String key = domain.toLowerCase(Locale.ROOT);
        DomainDirectory d = domains.get(key);
        return d != null && (!d.accounts().isEmpty() || !d.aliases().isEmpty()) || externalDomains.contains(key);
    }

    /**
     * The logins an external source allows to use {@code sender} as envelope sender, or empty when
     * the source said nothing about it (the records decide then).
     */
    public Optional<Set<String>> senderLogins(String sender) {
        return Optional.ofNullable(senderLogins.get(sender.toLowerCase(Locale.ROOT)));
    }

    /** The local domains, sorted. */
    public Set<String> localDomains() {
        Set<String> out = new TreeSet<>(externalDomains);
        domains.values().forEach(d -> {
            if (!d.accounts().isEmpty() || !d.aliases().isEmpty()) {
                out.add(d.domain());
            }
        });
        return out;
    }

    public Optional<Account> account(String address) {
        String key = address.toLowerCase(Locale.ROOT);
        DomainDirectory d = domains.get(domainOf(key));
        return d == null ? Optional.empty() : Optional.ofNullable(d.accounts().get(key));
    }

    /** The targets of an alias source ({@code user@dom} or {@code @dom}), empty when none. */
    public List<String> aliasTargets(String source) {
        String key = source.toLowerCase(Locale.ROOT);
        DomainDirectory d = domains.get(domainOf(key));
        if (d == null) {
            return List.of();
        }
        List<String> t = d.aliases().get(key);
        return t == null ? List.of() : t;
    }

    /** The explicit quota for an account in bytes, if one is set. */
    public Optional<Long> quota(String address) {
        String key = address.toLowerCase(Locale.ROOT);
        DomainDirectory d = domains.get(domainOf(key));
        return d == null ? Optional.empty() : Optional.ofNullable(d.quotas().get(key));
    }

    /** The effective quota in bytes (0 = unlimited), falling back to {@code defaultQuota}. */
    public long effectiveQuota(String address, long defaultQuota) {
        return quota(address).orElse(defaultQuota);
    }

    public boolean isSendDenied(String address) {
        String key = address.toLowerCase(Locale.ROOT);
        DomainDirectory d = domains.get(domainOf(key));
        return d != null && d.sendDenied().contains(key);
    }

    public boolean isReceiveDenied(String address) {
        String key = address.toLowerCase(Locale.ROOT);
        DomainDirectory d = domains.get(domainOf(key));
        return d != null && d.receiveDenied().contains(key);
    }

    /** Every account, sorted by address. */
    public List<Account> accounts() {
        List<Account> out = new ArrayList<>();
        domains.values().forEach(d -> out.addAll(d.accounts().values()));
        out.sort((a, b) -> a.address().compareTo(b.address()));
        return out;
    }

    public int accountCount() {
        return domains.values().stream().mapToInt(d -> d.accounts().size()).sum();
    }

    public int aliasCount() {
        return domains.values().stream().mapToInt(d -> d.aliases().size()).sum();
    }

    static String domainOf(String key) {
        int at = key.lastIndexOf('@');
        return at < 0 ? "" : key.substring(at + 1);
    }
}
