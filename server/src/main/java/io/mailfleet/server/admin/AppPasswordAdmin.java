package io.mailfleet.server.admin;

import io.mailfleet.core.auth.AppPassword;
import io.mailfleet.core.ban.IpNetwork;
import io.mailfleet.core.service.AppPasswordStore;
import io.mailfleet.core.service.DirectoryService;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * App passwords behind the operator's API ({@code ./mailfleet email app-password}) and the user's
 * self-service routes alike: the checks of a new one, the password made for it (shown once, stored
 * only as a hash of the node's scheme), listing and revoking.
 */
public final class AppPasswordAdmin {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** No 0/O, 1/l/I: read off one screen and typed into another. */
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AppPasswordStore store;
    private final DirectoryService directory;
    private final Function<String, String> hasher;
    private final Executor hashing;

    /**
     * @param hasher  hashes a password with the node's scheme ({@code mailfleet.passwords.scheme})
     * @param hashing where the (slow by design) hashing runs
     */
    public AppPasswordAdmin(AppPasswordStore store, DirectoryService directory, Function<String, String> hasher,
                            Executor hashing) {
        this.store = store;
        this.directory = directory;
        this.hasher = hasher;
        this.hashing = hashing;
    }

    /** A new app password: its name and the password, which is shown this once. */
    public record Created(String account, String name, String password, AppPassword details) {
    }

    /** The account's app passwords without their hashes. */
    public CompletionStage<List<AppPassword>> list(String account) {
        String key = existing(account);
        return store.list(key).thenApply(l -> l.stream().map(AppPassword::withoutHash).toList());
    }

    /**
     * Makes an app password.
     *
     * @param scopes   imap, pop3, smtp, sieve (at least one)
     * @param expires  an ISO-8601 instant in the future, or null
     * @param networks CIDR networks (or single addresses) it may be used from; empty = any
     */
    public CompletionStage<Created> add(String account, String name, List<String> scopes, String expires,
                                        List<String> networks) {
        String key = existing(account);
        if (name == null || !NAME.matcher(name).matches()) {
            throw new AdminException("invalid-argument", "app password name must be 1-64 letters, digits, '.', '_' or '-'"
                    + " starting with a letter or digit", 400);
        }
        LinkedHashSet<String> scopeSet = new LinkedHashSet<>();
        for (String s : scopes) {
            String v = s.strip().toLowerCase(Locale.ROOT);
            if (!AppPassword.SCOPES.contains(v)) {
                throw new AdminException("invalid-argument", "unknown scope '" + s + "': use imap, pop3, smtp or sieve", 400);
            }
            scopeSet.add(v);
        }
        if (scopeSet.isEmpty()) {
            throw new AdminException("invalid-argument", "give at least one scope: imap, pop3, smtp or sieve", 400);
        }
        Instant expiresAt = null;
        if (expires != null && !expires.isBlank()) {
            try {
                expiresAt = Instant.parse(expires.strip());
            } catch (DateTimeParseException e) {
                throw new AdminException("invalid-argument", "expiry '" + expires
                        + "' is no ISO-8601 instant such as 2027-01-31T00:00:00Z", 400);
            }
            if (!expiresAt.isAfter(Instant.now())) {
                throw new AdminException("invalid-argument", "expiry " + expires + " is in the past", 400);
            }
        }
        List<String> nets = new ArrayList<>();
        for (String n : networks) {
            try {
                IpNetwork.parse(n.strip());
            } catch (RuntimeException e) {
                throw new AdminException("invalid-argument", "network '" + n + "' is no address or CIDR network", 400);
            }
            nets.add(n.strip());
        }
        String password = generate();
        Instant until = expiresAt;
        return CompletableFuture.supplyAsync(() -> hasher.apply(password), hashing)
                .thenCompose(hash -> {
                    AppPassword p = new AppPassword(name, hash, List.copyOf(scopeSet), until, nets, Instant.now());
                    return store.add(key, p).thenApply(added -> {
                        if (!added) {
                            throw new AdminException("exists", "app password '" + name + "' exists already for " + key
                                    + " (or it holds " + AppPasswordStore.MAX_PER_ACCOUNT + ")", 409);
                        }
                        return new Created(key, name, password, p.withoutHash());
                    });
                });
    }

    /** Revokes one; 404 when the account has none of that name. */
    public CompletionStage<String> revoke(String account, String name) {
        String key = existing(account);
        return store.revoke(key, name == null ? "" : name).thenApply(done -> {
            if (!done) {
                throw new AdminException("not-found", "no app password '" + name + "' for " + key, 404);
            }
            return key;
        });
    }

    private String existing(String account) {
        String key = account == null ? "" : account.strip().toLowerCase(Locale.ROOT);
        if (directory.view().account(key).isEmpty()) {
            throw new AdminException("not-found", "account " + key + " does not exist", 404);
        }
        return key;
    }

    /** 24 characters of a 32-letter alphabet (120 bits), in groups of four. */
    static String generate() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            if (i > 0 && i % 4 == 0) {
                sb.append('-');
            }
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }
}
