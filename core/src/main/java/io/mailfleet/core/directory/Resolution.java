package io.mailfleet.core.directory;

import java.util.List;

/**
 * The outcome of resolving one recipient address with {@link RecipientResolver}.
 *
 * @param address         the resolved address, lower-cased
 * @param localAccounts   local mailboxes that get a copy, without duplicates, in expansion order
 * @param remoteAddresses addresses outside the local domains, to forward to
 * @param undeliverable   expansion results in a local domain that match no account (they would bounce)
 * @param unknown         the address is local but matches no alias, catch-all or account (550 at RCPT)
 * @param foreignDomain   the address's domain is not a local domain
 * @param loopDetected    alias expansion hit a cycle or the nesting limit
 * @param discard         some expansion reached {@code devnull}
 */
public record Resolution(String address,
                         List<LocalTarget> localAccounts,
                         List<String> remoteAddresses,
                         List<String> undeliverable,
                         boolean unknown,
                         boolean foreignDomain,
                         boolean loopDetected,
                         boolean discard) {

    public Resolution {
        localAccounts = List.copyOf(localAccounts);
        remoteAddresses = List.copyOf(remoteAddresses);
        undeliverable = List.copyOf(undeliverable);
    }

    /**
     * Whether an SMTP server should accept this address at RCPT for inbound mail: the domain is local,
     * the address is known, expansion terminated, and something receives or discards it. An alias that
     * only leads to missing mailboxes is refused here instead of being accepted and bounced later
     * (Postfix would bounce; refusing at RCPT avoids backscatter).
     */
    public boolean deliverable() {
        return !foreignDomain && !unknown && !loopDetected
                && (!localAccounts.isEmpty() || !remoteAddresses.isEmpty() || discard);
    }
}
