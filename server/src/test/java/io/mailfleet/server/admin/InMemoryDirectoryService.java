package io.mailfleet.server.admin;

import io.mailfleet.core.directory.Account;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.directory.DirectoryException;
import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.core.directory.DomainDirectory;
import io.mailfleet.core.service.DirectoryService;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A directory held in memory for tests: {@link #apply} enforces the invariants the Directory entity
 * enforces (same codes) and publishes a new {@link DirectoryView}, as the entity and cache would.
 */
public final class InMemoryDirectoryService implements DirectoryService {

    private final Map<String, DomainDirectory> domains = new HashMap<>();
    private volatile DirectoryView view = DirectoryView.empty();
    private final List<DirectoryChange> applied = new ArrayList<>();

    @Override
    public DirectoryView view() {
        return view;
    }

    /** Every change accepted so far, in order. */
    public synchronized List<DirectoryChange> applied() {
        return List.copyOf(applied);
    }

    @Override
    public synchronized CompletionStage<Void> apply(DirectoryChange change) {
        String a = change.address();
        DomainDirectory d = domains.getOrDefault(change.domain(), DomainDirectory.empty(change.domain()));
        Map<String, Account> accounts = new HashMap<>(d.accounts());
        Map<String, List<String>> aliases = new HashMap<>(d.aliases());
        Map<String, Long> quotas = new HashMap<>(d.quotas());
        Set<String> send = new HashSet<>(d.sendDenied());
        Set<String> receive = new HashSet<>(d.receiveDenied());
        try {
            if (change instanceof DirectoryChange.AddAccount add) {
                if (accounts.containsKey(a)) {
                    throw new DirectoryException("exists", a + " already exists");
                }
                if (aliases.containsKey(a)) {
                    throw new DirectoryException("is-alias", a + " is already defined as an alias");
                }
                accounts.put(a, new Account(a, add.passwordHash()));
            } else if (change instanceof DirectoryChange.UpdatePassword u) {
                if (accounts.replace(a, new Account(a, u.passwordHash())) == null) {
                    throw new DirectoryException("not-found", a + " does not exist");
                }
            } else if (change instanceof DirectoryChange.DeleteAccount) {
                if (accounts.remove(a) == null) {
                    throw new DirectoryException("not-found", a + " does not exist");
                }
                quotas.remove(a);
                send.remove(a);
                receive.remove(a);
            } else if (change instanceof DirectoryChange.AddAlias al) {
                if (accounts.containsKey(a)) {
                    throw new DirectoryException("is-account", a + " is already defined as an account");
                }
                List<String> t = new ArrayList<>(aliases.getOrDefault(a, List.of()));
                if (!t.contains(al.target())) {
                    t.add(al.target());
                }
                aliases.put(a, List.copyOf(t));
            } else if (change instanceof DirectoryChange.RemoveAlias r) {
                List<String> t = new ArrayList<>(aliases.getOrDefault(a, List.of()));
                if (!t.remove(r.target())) {
                    throw new DirectoryException("not-found", "alias " + a + " -> " + r.target() + " does not exist");
                }
                if (t.isEmpty()) {
                    aliases.remove(a);
                } else {
                    aliases.put(a, List.copyOf(t));
                }
            } else if (change instanceof DirectoryChange.SetQuota q) {
                if (!accounts.containsKey(a)) {
                    throw new DirectoryException("not-found", a + " does not exist");
                }
                quotas.put(a, q.bytes());
            } else if (change instanceof DirectoryChange.DeleteQuota) {
                quotas.remove(a);
            } else if (change instanceof DirectoryChange.Restrict r) {
                Set<String> s = r.kind() == DirectoryChange.RestrictionKind.SEND ? send : receive;
                if (r.denied()) {
                    s.add(a);
                } else {
                    s.remove(a);
                }
            } else {
                throw new DirectoryException("unsupported", "unknown change " + change.getClass().getSimpleName());
            }
        } catch (DirectoryException e) {
            return CompletableFuture.failedFuture(e);
        }
        domains.put(d.domain(), new DomainDirectory(d.domain(), accounts, aliases, quotas, send, receive));
        applied.add(change);
        view = DirectoryView.of(domains.values(), List.of());
        return CompletableFuture.completedFuture(null);
    }
}
