package io.mailfleet.core.dkim;

import java.util.List;

/** Fetches the TXT records of a DKIM key name ({@code selector._domainkey.domain}); DNS in production, a map in tests. */
@FunctionalInterface
public interface DkimKeyLookup {
    /**
     * @return each TXT record with its strings already joined; empty when the name does not exist
     * @throws DkimException when the lookup failed temporarily (DNS timeout, SERVFAIL)
     */
    List<String> txt(String name) throws DkimException;
}
