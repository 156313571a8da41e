package io.mailfleet.core.auth;

import io.mailfleet.core.ban.IpNetwork;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One app password of an account: usable instead of the account's password, only for the protocols of
 * its scopes, until it expires, from the networks it allows (any when none are given). Only its hash
 * (a {@link PasswordSchemes} hash) is stored.
 *
 * @param name      the name the user gave it (unique per account)
 * @param hash      the password's hash with its scheme prefix
 * @param scopes    a subset of {@link #SCOPES}
 * @param expiresAt when it stops working; null = never
 * @param networks  the CIDR networks it may be used from; empty = any
 * @param createdAt when it was made
 */
public record AppPassword(String name, String hash, List<String> scopes, Instant expiresAt, List<String> networks,
                          Instant createdAt) {

    /** The protocols an app password may be scoped to. */
    public static final Set<String> SCOPES = Set.of("imap", "pop3", "smtp", "sieve");

    public AppPassword {
        scopes = List.copyOf(scopes);
        networks = List.copyOf(networks);
    }

    /** The scope of an {@code Authenticator} protocol name ({@code managesieve} is {@code sieve}); null for others. */
    public static String scopeOf(String protocol) {
        String p = protocol == null ? "" : protocol.toLowerCase(Locale.ROOT);
        if (p.equals("managesieve")) {
            return "sieve";
        }
        return SCOPES.contains(p) ? p : null;
    }

    /** Whether it may be tried for a login over {@code protocol} from {@code remote} at {@code now}. */
    public boolean allows(String protocol, InetAddress remote, Instant now) {
        String scope = scopeOf(protocol);
        if (scope == null || !scopes.contains(scope)) {
            return false;
        }
        if (expiresAt != null && !now.isBefore(expiresAt)) {
            return false;
        }
        if (networks.isEmpty()) {
            return true;
        }
        return remote != null && networks.stream().anyMatch(n -> IpNetwork.parse(n).contains(remote));
    }

    /** The same without its hash, for listings. */
    public AppPassword withoutHash() {
        return new AppPassword(name, "", scopes, expiresAt, networks, createdAt);
    }
}
