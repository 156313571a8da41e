package io.mailfleet.server.ldap;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One LDAP server set and how to talk to it: URIs tried in order ({@code ldap://} or {@code ldaps://}),
 * the search base, the service bind (empty DN = anonymous), StartTLS on {@code ldap://}, and the CA
 * certificates to trust for TLS (the JVM's trust store when empty).
 */
public record LdapEndpoint(List<URI> uris, String base, String bindDn, String bindPassword, boolean startTls,
                           Optional<Path> caFile) {

    public LdapEndpoint {
        uris = List.copyOf(uris);
    }

    @Override
    public String toString() {
        return "LdapEndpoint" + uris + " base=" + base + " bind=" + (bindDn.isEmpty() ? "anonymous" : bindDn)
                + (startTls ? " starttls" : ""); // never the password
    }
}
