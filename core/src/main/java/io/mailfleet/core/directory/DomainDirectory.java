package io.mailfleet.core.directory;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the directory knows about one domain: the unit a {@code Directory} entity owns and the
 * unit replicated to every node's read cache.
 *
 * @param accounts   address key to account
 * @param aliases    alias source (an address key, or {@code @domain} for the catch-all) to targets
 * @param quotas     address key to quota in bytes (0 = unlimited); absent = the default quota
 * @param sendDenied addresses that may not send ({@code postfix-send-access.cf})
 * @param receiveDenied addresses that may not receive ({@code postfix-receive-access.cf})
 */
public record DomainDirectory(String domain,
                              Map<String, Account> accounts,
                              Map<String, List<String>> aliases,
                              Map<String, Long> quotas,
                              Set<String> sendDenied,
                              Set<String> receiveDenied) {

    public DomainDirectory {
        accounts = Map.copyOf(accounts);
        aliases = Map.copyOf(aliases);
        quotas = Map.copyOf(quotas);
        sendDenied = Set.copyOf(sendDenied);
        receiveDenied = Set.copyOf(receiveDenied);
    }

    public static DomainDirectory empty(String domain) {
        return new DomainDirectory(domain, Map.of(), Map.of(), Map.of(), Set.of(), Set.of());
    }

    public boolean isEmpty() {
        return accounts.isEmpty() && aliases.isEmpty() && quotas.isEmpty() && sendDenied.isEmpty()
                && receiveDenied.isEmpty();
    }
}
