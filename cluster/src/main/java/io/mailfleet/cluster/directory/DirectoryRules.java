package io.mailfleet.cluster.directory;

import io.mailfleet.core.directory.Account;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.directory.DirectoryChange.AddAccount;
import io.mailfleet.core.directory.DirectoryChange.AddAlias;
import io.mailfleet.core.directory.DirectoryChange.DeleteAccount;
import io.mailfleet.core.directory.DirectoryChange.DeleteQuota;
import io.mailfleet.core.directory.DirectoryChange.RemoveAlias;
import io.mailfleet.core.directory.DirectoryChange.ReplaceRegexAliases;
import io.mailfleet.core.directory.DirectoryChange.Restrict;
import io.mailfleet.core.directory.DirectoryChange.SetQuota;
import io.mailfleet.core.directory.DirectoryChange.UpdatePassword;
import io.mailfleet.core.directory.DirectoryException;
import io.mailfleet.core.directory.DomainDirectory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The directory's invariants: which changes are allowed against a domain's state, and how an
 * accepted change transforms it. Pure functions, so the entity's command and event handlers (and
 * recovery) share exactly one definition.
 */
public final class DirectoryRules {

    private DirectoryRules() {
    }

    /**
     * Refuses a change that breaks an invariant; returns false when it would change nothing (the
     * entity then persists no event, so repeated imports stay cheap).
     */
    public static boolean check(DirectoryState state, DirectoryChange change) {
        DomainDirectory d = state.directory();
        String a = change.address();
        if (change instanceof AddAccount) {
            if (d.accounts().containsKey(a)) {
                throw new DirectoryException("exists", a + " already exists");
            }
            if (d.aliases().containsKey(a)) {
                throw new DirectoryException("is-alias", a + " is already defined as an alias");
            }
            return true;
        } else if (change instanceof UpdatePassword u) {
            Account acc = d.accounts().get(a);
            if (acc == null) {
                throw new DirectoryException("not-found", a + " does not exist");
            }
            return !acc.passwordHash().equals(u.passwordHash());
        } else if (change instanceof DeleteAccount) {
            if (!d.accounts().containsKey(a)) {
                throw new DirectoryException("not-found", a + " does not exist");
            }
            return true;
        } else if (change instanceof AddAlias al) {
            if (d.accounts().containsKey(a)) {
                throw new DirectoryException("is-account", a + " is already defined as an account");
            }
            List<String> t = d.aliases().get(a);
            return t == null || !t.contains(al.target());
        } else if (change instanceof RemoveAlias r) {
            List<String> t = d.aliases().get(a);
            if (t == null || !t.contains(r.target())) {
                throw new DirectoryException("not-found", "alias " + a + " -> " + r.target() + " does not exist");
            }
            return true;
        } else if (change instanceof SetQuota q) {
            if (!d.accounts().containsKey(a)) {
                throw new DirectoryException("not-found", a + " does not exist");
            }
            Long cur = d.quotas().get(a);
            return cur == null || cur != q.bytes();
        } else if (change instanceof DeleteQuota) {
            return d.quotas().containsKey(a);
        } else if (change instanceof Restrict r) {
            Set<String> set = r.kind() == DirectoryChange.RestrictionKind.SEND ? d.sendDenied() : d.receiveDenied();
            return set.contains(a) != r.denied();
        } else if (change instanceof ReplaceRegexAliases r) {
            return !state.regexAliases().equals(r.aliases());
        }
        throw new DirectoryException("unsupported", "unknown change " + change.getClass().getSimpleName());
    }

    /** Applies an accepted change; total, so replaying events never fails. */
    public static DirectoryState apply(DirectoryState state, DirectoryChange change) {
        DomainDirectory d = state.directory();
        String a = change.address();
        Map<String, Account> accounts = d.accounts();
        Map<String, List<String>> aliases = d.aliases();
        Map<String, Long> quotas = d.quotas();
        Set<String> send = d.sendDenied();
        Set<String> receive = d.receiveDenied();
        List<io.mailfleet.core.directory.RegexAlias> regex = state.regexAliases();
        if (change instanceof AddAccount add) {
            accounts = put(accounts, a, new Account(a, add.passwordHash()));
        } else if (change instanceof UpdatePassword u) {
            accounts = put(accounts, a, new Account(a, u.passwordHash()));
        } else if (change instanceof DeleteAccount) {
            accounts = remove(accounts, a);
            quotas = remove(quotas, a);
            send = without(send, a);
            receive = without(receive, a);
        } else if (change instanceof AddAlias al) {
            List<String> t = new ArrayList<>(aliases.getOrDefault(a, List.of()));
            if (!t.contains(al.target())) {
                t.add(al.target());
            }
            aliases = put(aliases, a, List.copyOf(t));
        } else if (change instanceof RemoveAlias r) {
            List<String> t = new ArrayList<>(aliases.getOrDefault(a, List.of()));
            t.remove(r.target());
            aliases = t.isEmpty() ? remove(aliases, a) : put(aliases, a, List.copyOf(t));
        } else if (change instanceof SetQuota q) {
            quotas = put(quotas, a, q.bytes());
        } else if (change instanceof DeleteQuota) {
            quotas = remove(quotas, a);
        } else if (change instanceof Restrict r) {
            if (r.kind() == DirectoryChange.RestrictionKind.SEND) {
                send = r.denied() ? with(send, a) : without(send, a);
            } else {
                receive = r.denied() ? with(receive, a) : without(receive, a);
            }
        } else if (change instanceof ReplaceRegexAliases r) {
            regex = r.aliases();
        }
        return new DirectoryState(new DomainDirectory(d.domain(), accounts, aliases, quotas, send, receive), regex,
                state.version());
    }

    private static <V> Map<String, V> put(Map<String, V> m, String k, V v) {
        Map<String, V> c = new HashMap<>(m);
        c.put(k, v);
        return c;
    }

    private static <V> Map<String, V> remove(Map<String, V> m, String k) {
        if (!m.containsKey(k)) {
            return m;
        }
        Map<String, V> c = new HashMap<>(m);
        c.remove(k);
        return c;
    }

    private static Set<String> with(Set<String> s, String v) {
        Set<String> c = new HashSet<>(s);
        c.add(v);
        return c;
    }

    private static Set<String> without(Set<String> s, String v) {
        Set<String> c = new HashSet<>(s);
        c.remove(v);
        return c;
    }
}
