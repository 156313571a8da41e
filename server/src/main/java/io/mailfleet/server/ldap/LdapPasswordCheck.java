package io.mailfleet.server.ldap;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.directory.DirectoryUnavailableException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Checks one login against LDAP as a {@link PasswordLookup} says: finds the user's entry with the pass
 * filter (bound as the service account), then binds as that entry with the password (auth bind) or
 * compares the password with the entry's stored hash ({@code {SSHA}...}, {@code {SHA512-CRYPT}...}, a
 * value without prefix in the default scheme). The entry found is cached per login for the TTL, so
 * repeated logins do not search again; with auth bind only a salted digest of a password that bound
 * successfully is kept, never the password.
 */
public final class LdapPasswordCheck {

    /** The outcome of one check: the account on success, else why not (for the log). */
    public record Outcome(String account, String reason) {
        public boolean ok() {
            return account != null;
        }
    }

    /** What a login's entry told us; {@code bound} is the salted digest of a password that bound, or null. */
    private record Found(String dn, String account, String storedHash, byte[] bound) {
    }

    private static final Found NONE = new Found(null, null, null, null);

    private final PasswordLookup lookup;
    private final LdapSearches searches;
    private final LookupCache<Found> cache;
    private final byte[] salt = new byte[16];

    public LdapPasswordCheck(PasswordLookup lookup, LdapSearches searches, java.time.Duration ttl, int maxEntries) {
        this.lookup = lookup;
        this.searches = searches;
        this.cache = new LookupCache<>(ttl, maxEntries);
        new SecureRandom().nextBytes(salt);
    }

    /**
     * Completes with the outcome, or exceptionally with {@link DirectoryUnavailableException} when LDAP
     * could not answer. Runs nothing on the caller's thread but the cache look-up.
     */
    public CompletableFuture<Outcome> check(String login, String password) {
        String key = login.toLowerCase(Locale.ROOT);
        return cache.get(key, () -> find(key)).thenCompose(found -> {
            if (found.dn() == null) {
                return CompletableFuture.completedFuture(new Outcome(null, "unknown user"));
            }
            if (lookup.authBind()) {
                if (found.bound() != null && MessageDigest.isEqual(found.bound(), digest(key, password))) {
                    return CompletableFuture.completedFuture(new Outcome(found.account(), null));
                }
                return CompletableFuture.supplyAsync(() -> bind(key, found, password), searches.executor());
            }
            return CompletableFuture.supplyAsync(() -> compare(found, password), searches.executor());
        });
    }

    private CompletableFuture<Found> find(String login) {
        String passwordAttr = lookup.attributeFor("password");
        String userAttr = lookup.attributeFor("user");
        List<String> attrs = new ArrayList<>();
        attrs.add(lookup.addressAttribute());
        if (passwordAttr != null && !lookup.authBind()) {
            attrs.add(passwordAttr);
        }
        if (userAttr != null) {
            attrs.add(userAttr);
        }
        return searches.search(lookup.filter().forLogin(login), attrs.toArray(String[]::new)).thenApply(entries -> {
            if (entries.size() != 1) {
                // none, or several (Dovecot refuses an ambiguous passdb answer too)
                return NONE;
            }
            SearchResultEntry e = entries.get(0);
            String hash = passwordAttr == null || lookup.authBind() ? null : e.getAttributeValue(passwordAttr);
            return new Found(e.getDN(), account(e, login, userAttr), hash, null);
        });
    }

    /** The {@code user} field when it is an address, else the entry's {@code mail}, else the login. */
    private String account(SearchResultEntry e, String login, String userAttr) {
        String user = userAttr == null ? null : e.getAttributeValue(userAttr);
        if (user != null && user.contains("@")) {
            return user.trim().toLowerCase(Locale.ROOT);
        }
        String mail = e.getAttributeValue(lookup.addressAttribute());
        if (mail != null && !mail.isBlank()) {
            return mail.trim().toLowerCase(Locale.ROOT);
        }
        return login;
    }

    private Outcome compare(Found found, String password) {
        if (found.storedHash() == null || found.storedHash().isEmpty()) {
            return new Outcome(null, "no password attribute in the LDAP entry");
        }
        String stored = found.storedHash().startsWith("{") ? found.storedHash()
                : "{" + lookup.defaultScheme() + "}" + found.storedHash();
        try {
            return PasswordSchemes.verify(password, stored) ? new Outcome(found.account(), null)
                    : new Outcome(null, "password mismatch");
        } catch (RuntimeException e) {
            return new Outcome(null, "stored hash unusable: " + e.getMessage());
        }
    }

    private Outcome bind(String login, Found found, String password) {
        if (password == null || password.isEmpty()) {
            return new Outcome(null, "empty password"); // an empty simple bind is anonymous: never a login
        }
        try (LDAPConnection c = searches.connections().connect()) {
            c.bind(found.dn(), password);
            rememberBind(login, found, password);
            return new Outcome(found.account(), null);
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS || e.getResultCode() == ResultCode.INAPPROPRIATE_AUTHENTICATION
                    || e.getResultCode() == ResultCode.UNWILLING_TO_PERFORM) {
                return new Outcome(null, "password mismatch (LDAP bind " + e.getResultCode() + ")");
            }
            throw LdapSearches.unavailable(e);
        }
    }

    private void rememberBind(String login, Found found, String password) {
        cache.replace(login, new Found(found.dn(), found.account(), null, digest(login, password)));
    }

    private byte[] digest(String login, String password) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(salt);
            md.update(login.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8));
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
