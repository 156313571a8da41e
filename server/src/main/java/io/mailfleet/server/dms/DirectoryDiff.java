package io.mailfleet.server.dms;

import io.mailfleet.core.directory.Account;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.core.directory.DomainDirectory;
import io.mailfleet.core.directory.RegexAlias;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The changes that turn the live directory into the one described by a docker-mailserver config
 * directory. Removals come first, so an address that moves from account to alias (or back) never
 * trips the "already defined" rule half-way.
 */
public final class DirectoryDiff {

    private DirectoryDiff() {
    }

    public static List<DirectoryChange> between(DirectoryView current, List<DomainDirectory> desired, List<RegexAlias> desiredRegex) {
        Map<String, DomainDirectory> want = new HashMap<>();
        desired.forEach(d -> want.put(d.domain(), d));
        Set<String> domains = new TreeSet<>(want.keySet());
        domains.addAll(current.domains().keySet());
        List<DirectoryChange> removals = new ArrayList<>();
        List<DirectoryChange> additions = new ArrayList<>();
        for (String domain : domains) {
            DomainDirectory have = current.domains().getOrDefault(domain, DomainDirectory.empty(domain));
            DomainDirectory next = want.getOrDefault(domain, DomainDirectory.empty(domain));
            diffAccounts(have, next, removals, additions);
            diffAliases(have, next, removals, additions);
            diffQuotas(have, next, removals, additions);
            diffRestrictions(have.sendDenied(), next.sendDenied(), DirectoryChange.RestrictionKind.SEND, removals, additions);
            diffRestrictions(have.receiveDenied(), next.receiveDenied(), DirectoryChange.RestrictionKind.RECEIVE, removals, additions);
        }
        if (!current.regexAliases().equals(desiredRegex)) {
            additions.add(new DirectoryChange.ReplaceRegexAliases(desiredRegex));
        }
        List<DirectoryChange> all = new ArrayList<>(removals);
        all.addAll(additions);
        return all;
    }

    private static void diffAccounts(DomainDirectory have, DomainDirectory next, List<DirectoryChange> rm, List<DirectoryChange> add) {
        for (String a : new TreeSet<>(have.accounts().keySet())) {
            if (!next.accounts().containsKey(a)) {
                rm.add(new DirectoryChange.DeleteAccount(a));
            }
        }
        for (Account acc : next.accounts().values()) {
            Account old = have.accounts().get(acc.address());
            if (old == null) {
                add.add(new DirectoryChange.AddAccount(acc.address(), acc.passwordHash()));
            } else if (!old.passwordHash().equals(acc.passwordHash())) {
                add.add(new DirectoryChange.UpdatePassword(acc.address(), acc.passwordHash()));
            }
        }
    }

    private static void diffAliases(DomainDirectory have, DomainDirectory next, List<DirectoryChange> rm, List<DirectoryChange> add) {
        have.aliases().forEach((src, targets) -> {
            List<String> keep = next.aliases().getOrDefault(src, List.of());
            targets.stream().filter(t -> !keep.contains(t)).forEach(t -> rm.add(new DirectoryChange.RemoveAlias(src, t)));
        });
        next.aliases().forEach((src, targets) -> {
            List<String> had = have.aliases().getOrDefault(src, List.of());
            targets.stream().filter(t -> !had.contains(t)).forEach(t -> add.add(new DirectoryChange.AddAlias(src, t)));
        });
    }

    private static void diffQuotas(DomainDirectory have, DomainDirectory next, List<DirectoryChange> rm, List<DirectoryChange> add) {
        have.quotas().keySet().stream().filter(a -> !next.quotas().containsKey(a))
                // Deleting an account drops its quota itself; a second delete would be refused as a no-op anyway.
                .filter(a -> next.accounts().containsKey(a))
                .forEach(a -> rm.add(new DirectoryChange.DeleteQuota(a)));
        next.quotas().forEach((a, q) -> {
            if (!q.equals(have.quotas().get(a))) {
                add.add(new DirectoryChange.SetQuota(a, q));
            }
        });
    }

    private static void diffRestrictions(Set<String> have, Set<String> next, DirectoryChange.RestrictionKind kind,
                                         List<DirectoryChange> rm, List<DirectoryChange> add) {
        have.stream().filter(a -> !next.contains(a)).forEach(a -> rm.add(new DirectoryChange.Restrict(a, kind, false)));
        next.stream().filter(a -> !have.contains(a)).forEach(a -> add.add(new DirectoryChange.Restrict(a, kind, true)));
    }
}
