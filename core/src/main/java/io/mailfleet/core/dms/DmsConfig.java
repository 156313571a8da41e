package io.mailfleet.core.dms;

import io.mailfleet.core.directory.Account;
import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.core.directory.DomainDirectory;
import io.mailfleet.core.directory.RegexAlias;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The directory part of a docker-mailserver config directory, as loaded by
 * {@link DmsConfigDirectory#load}: the valid entries of each file plus every problem found.
 */
public record DmsConfig(List<AccountEntry> accounts,
                        List<AliasEntry> aliases,
                        List<RegexAlias> regexAliases,
                        List<QuotaEntry> quotas,
                        List<String> sendDenied,
                        List<String> receiveDenied,
                        List<ConfigProblem> problems,
                        DmsFingerprint fingerprint) {

    public DmsConfig {
        accounts = List.copyOf(accounts);
        aliases = List.copyOf(aliases);
        regexAliases = List.copyOf(regexAliases);
        quotas = List.copyOf(quotas);
        sendDenied = List.copyOf(sendDenied);
        receiveDenied = List.copyOf(receiveDenied);
        problems = List.copyOf(problems);
    }

    /** One {@link DomainDirectory} per domain that has any entry, sorted by domain. */
    public List<DomainDirectory> toDomainDirectories() {
        Map<String, Builder> byDomain = new TreeMap<>();
        for (AccountEntry a : accounts) {
            builder(byDomain, a.address()).accounts.put(a.address(), new Account(a.address(), a.passwordHash()));
        }
        for (AliasEntry a : aliases) {
            builder(byDomain, a.source()).aliases.put(a.source(), a.targets());
        }
        for (QuotaEntry q : quotas) {
            builder(byDomain, q.address()).quotas.put(q.address(), q.bytes());
        }
        for (String s : sendDenied) {
            builder(byDomain, s).sendDenied.add(s);
        }
        for (String s : receiveDenied) {
            builder(byDomain, s).receiveDenied.add(s);
        }
        List<DomainDirectory> out = new ArrayList<>();
        byDomain.forEach((d, b) -> out.add(new DomainDirectory(d, b.accounts, b.aliases, b.quotas,
                b.sendDenied, b.receiveDenied)));
        return out;
    }

    /** The whole configuration as a directory view (for the resolver or to diff against the live view). */
    public DirectoryView toView() {
        return DirectoryView.of(toDomainDirectories(), regexAliases);
    }

    private static Builder builder(Map<String, Builder> m, String key) {
        return m.computeIfAbsent(key.substring(key.lastIndexOf('@') + 1), d -> new Builder());
    }

    private static final class Builder {
        final Map<String, Account> accounts = new HashMap<>();
        final Map<String, List<String>> aliases = new HashMap<>();
        final Map<String, Long> quotas = new HashMap<>();
        final Set<String> sendDenied = new HashSet<>();
        final Set<String> receiveDenied = new HashSet<>();
    }
}
