package io.mailfleet.server.admin;

import io.mailfleet.core.address.AddressText;
import io.mailfleet.core.address.InvalidAddressException;
import io.mailfleet.core.address.MailAddress;
import io.mailfleet.core.directory.Account;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.directory.DirectoryChange.RestrictionKind;
import io.mailfleet.core.directory.DirectoryException;
import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.core.directory.DomainDirectory;
import io.mailfleet.core.directory.QuotaSize;
import io.mailfleet.core.service.DirectoryService;
import io.mailfleet.server.config.QuotaSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * docker-mailserver's {@code setup email|alias|quota} business rules over the {@link DirectoryService}:
 * argument checks and messages as {@code setup} gives them, then the change applied through the entity.
 * Every operation completes with a result, or exceptionally with an {@link AdminException}.
 */
public final class DirectoryAdmin {

    /** The exact hint {@code setup quota set} prints for a bad quota. */
    public static final String INVALID_QUOTA =
            "Invalid quota format. e.g. 302M (B (byte), k (kibibyte), M (mebibyte), G (gibibyte) or T (tebibyte))";

    private final DirectoryService directory;
    private final PasswordHasher hasher;
    private final UsageSource usage;
    private final QuotaSettings quotas;
    private final MailboxPurger purger;
    private final java.util.function.Function<String, CompletionStage<?>> beforeDelete;

    /** Removes every message of an account's mailbox; completes with how many were removed. */
    @FunctionalInterface
    public interface MailboxPurger {
        CompletionStage<Integer> purge(String account);
    }

    public DirectoryAdmin(DirectoryService directory, PasswordHasher hasher, UsageSource usage, QuotaSettings quotas) {
        this(directory, hasher, usage, quotas, null);
    }

    /** With {@code purger}, {@link #deleteAccount(String, boolean)} can delete an account's mail too. */
    public DirectoryAdmin(DirectoryService directory, PasswordHasher hasher, UsageSource usage, QuotaSettings quotas,
                          MailboxPurger purger) {
        this(directory, hasher, usage, quotas, purger, null);
    }

    /**
     * As above; {@code beforeDelete} runs before an account is deleted (its app passwords are revoked, so
     * an account made again under the same address does not inherit them); its failure keeps the account.
     */
    public DirectoryAdmin(DirectoryService directory, PasswordHasher hasher, UsageSource usage, QuotaSettings quotas,
                          MailboxPurger purger, java.util.function.Function<String, CompletionStage<?>> beforeDelete) {
        this.directory = directory;
        this.hasher = hasher;
        this.usage = usage;
        this.quotas = quotas;
        this.purger = purger;
        this.beforeDelete = beforeDelete;
    }

    public boolean quotasEnabled() {
        return quotas.enabled();
    }

    /** {@code setup email add}: creates the account with a freshly hashed password. */
    public CompletionStage<ChangeResult> addAccount(String address, String password) {
        return attempt(() -> {
            List<String> warnings = new ArrayList<>();
            String key = account(address, warnings);
            DirectoryView view = directory.view();
            if (view.account(key).isPresent()) {
                throw AdminException.conflict("exists", "'" + key + "' already exists");
            }
            if (!view.aliasTargets(key).isEmpty()) {
                throw AdminException.conflict("is-alias", "'" + key + "' is already defined as an alias");
            }
            String hash = hashOf(password);
            return apply(new DirectoryChange.AddAccount(key, hash), key).thenApply(v -> ChangeResult.changed(key, warnings));
        });
    }

    /** {@code setup email update}: replaces the password hash of an existing account. */
    public CompletionStage<ChangeResult> updatePassword(String address, String password) {
        return attempt(() -> {
            List<String> warnings = new ArrayList<>();
            String key = account(address, warnings);
            requireAccount(key);
            String hash = hashOf(password);
            return apply(new DirectoryChange.UpdatePassword(key, hash), key)
                    .thenApply(v -> ChangeResult.changed(key, warnings));
        });
    }

    /**
     * {@code setup email del}: removes the account from every alias target list (deleting aliases
     * left empty), then the account with its quota and restriction entries.
     */
    public CompletionStage<ChangeResult> deleteAccount(String address) {
        return deleteAccount(address, false);
    }

    /**
     * {@code setup email del [-y]}: with {@code withMail}, the account's mailbox is emptied first (its
     * messages' bytes go with the next blob collection), so a failure leaves the account in place and
     * the same command can simply be repeated.
     */
    public CompletionStage<ChangeResult> deleteAccount(String address, boolean withMail) {
        if (!withMail) {
            return deleteAccountOnly(address);
        }
        if (purger == null) {
            return CompletableFuture.failedFuture(new AdminException("unsupported",
                    "deleting an account's mail is not available on this node", 501));
        }
        return attempt(() -> {
            String key = account(address, new ArrayList<>());
            requireAccount(key);
            return purger.purge(key).thenCompose(n -> deleteAccountOnly(address));
        });
    }

    private CompletionStage<ChangeResult> deleteAccountOnly(String address) {
        return attempt(() -> {
            List<String> warnings = new ArrayList<>();
            String key = account(address, warnings);
            requireAccount(key);
            List<DirectoryChange.RemoveAlias> refs = new ArrayList<>();
            for (DomainDirectory d : directory.view().domains().values()) {
                d.aliases().forEach((source, targets) -> targets.stream()
                        .filter(t -> t.equalsIgnoreCase(key))
                        .forEach(t -> refs.add(new DirectoryChange.RemoveAlias(source, t))));
            }
            CompletionStage<Void> chain = beforeDelete == null ? CompletableFuture.completedFuture(null)
                    : beforeDelete.apply(key).thenApply(x -> null);
            for (DirectoryChange.RemoveAlias r : refs) {
                chain = chain.thenCompose(v -> directory.apply(r).handle((ok, err) -> {
                    if (err != null && !(cause(err) instanceof DirectoryException de && de.code().equals("not-found"))) {
                        throw new CompletionException(mapFailure(err, r.address()));
                    }
                    return null; // already gone: someone else removed it meanwhile
                }));
            }
            return chain.thenCompose(v -> apply(new DirectoryChange.DeleteAccount(key), key))
                    .thenApply(v -> ChangeResult.changed(key, warnings));
        });
    }

    /** {@code setup email list}: every account, sorted, with quota usage and the aliases pointing at it. */
    public List<AccountInfo> listAccounts() {
        DirectoryView view = directory.view();
        List<AccountInfo> out = new ArrayList<>();
        for (Account a : view.accounts()) {
            Optional<QuotaUsage> q = quotas.enabled()
                    ? Optional.of(QuotaUsage.of(usage.usedBytes(a.address()), view.effectiveQuota(a.address(), quotas.defaultLimit())))
                    : Optional.empty();
            out.add(new AccountInfo(a.address(), q, aliasesPointingAt(view, a.address())));
        }
        return out;
    }

    /** {@code setup alias add}: adds each comma-separated recipient to the alias, creating it if needed. */
    public CompletionStage<ChangeResult> addAlias(String alias, String recipients) {
        return attempt(() -> {
            String source = aliasSource(alias);
            List<String> targets = targets(recipients);
            DirectoryView view = directory.view();
            if (view.account(source).isPresent()) {
                throw AdminException.conflict("is-account", "'" + source + "' is already defined as an account");
            }
            List<String> existing = view.aliasTargets(source);
            List<String> toAdd = new ArrayList<>();
            for (String t : targets) {
                if (existing.contains(t) || toAdd.contains(t)) {
                    throw AdminException.conflict("alias-exists",
                            "'" + source + "' is already an alias for recipient: '" + t + "'");
                }
                toAdd.add(t);
            }
            CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
            for (String t : toAdd) {
                chain = chain.thenCompose(v -> apply(new DirectoryChange.AddAlias(source, t), source));
            }
            return chain.thenApply(v -> ChangeResult.changed(source, List.of()));
        });
    }

    /** {@code setup alias del}: removes one recipient; the alias goes with its last one. No error when absent. */
    public CompletionStage<ChangeResult> removeAlias(String alias, String recipient) {
        return attempt(() -> {
            String source = aliasSource(alias);
            if (recipient == null || recipient.isBlank()) {
                throw AdminException.badRequest("missing-argument", "No recipient specified");
            }
            String target = target(recipient);
            Optional<String> stored = directory.view().aliasTargets(source).stream()
                    .filter(t -> t.equalsIgnoreCase(target)).findFirst();
            if (stored.isEmpty()) {
                return CompletableFuture.completedFuture(ChangeResult.unchanged(source));
            }
            return apply(new DirectoryChange.RemoveAlias(source, stored.get()), source)
                    .thenApply(v -> ChangeResult.changed(source, List.of()));
        });
    }

    /** {@code setup alias list}: every alias with its targets, sorted by alias. */
    public List<AliasInfo> listAliases() {
        List<AliasInfo> out = new ArrayList<>();
        for (DomainDirectory d : directory.view().domains().values()) {
            d.aliases().forEach((source, targets) -> out.add(new AliasInfo(source, targets)));
        }
        out.sort((a, b) -> a.alias().compareTo(b.alias()));
        return out;
    }

    /** The regular-expression aliases of {@code postfix-regexp.cf} in the order they are tried (after the plain aliases). */
    public List<io.mailfleet.core.directory.RegexAlias> listRegexAliases() {
        return directory.view().regexAliases();
    }

    /** {@code setup quota set}: the account must exist; the quota uses docker-mailserver units. */
    public CompletionStage<ChangeResult> setQuota(String address, String quota) {
        return attempt(() -> {
            String key = account(address, new ArrayList<>());
            requireAccount(key);
            if (quota == null || quota.isBlank()) {
                throw AdminException.badRequest("invalid-quota", "Quota must not be empty (use 0 for unlimited quota)");
            }
            long bytes;
            try {
                bytes = QuotaSize.parse(quota.strip());
            } catch (IllegalArgumentException e) {
                throw AdminException.badRequest("invalid-quota", INVALID_QUOTA);
            }
            return apply(new DirectoryChange.SetQuota(key, bytes), key).thenApply(v -> ChangeResult.changed(key, List.of()));
        });
    }

    /** {@code setup quota del}: the account must exist; no error when it has no quota. */
    public CompletionStage<ChangeResult> deleteQuota(String address) {
        return attempt(() -> {
            String key = account(address, new ArrayList<>());
            requireAccount(key);
            if (directory.view().quota(key).isEmpty()) {
                return CompletableFuture.completedFuture(ChangeResult.unchanged(key));
            }
            return apply(new DirectoryChange.DeleteQuota(key), key).thenApply(v -> ChangeResult.changed(key, List.of()));
        });
    }

    /** {@code setup email restrict add send|receive}: denies the address; an error when already denied. */
    public CompletionStage<ChangeResult> restrict(RestrictionKind kind, String address) {
        return attempt(() -> {
            String key = restricted(address);
            DirectoryView view = directory.view();
            boolean denied = kind == RestrictionKind.SEND ? view.isSendDenied(key) : view.isReceiveDenied(key);
            if (denied) {
                throw AdminException.conflict("already-restricted",
                        "User '" + key + "' already denied to " + direction(kind) + " mails");
            }
            return apply(new DirectoryChange.Restrict(key, kind, true), key).thenApply(v -> ChangeResult.changed(key, List.of()));
        });
    }

    /** {@code setup email restrict del send|receive}: lifts the restriction; no error when there is none. */
    public CompletionStage<ChangeResult> unrestrict(RestrictionKind kind, String address) {
        return attempt(() -> {
            String key = restricted(address);
            DirectoryView view = directory.view();
            boolean denied = kind == RestrictionKind.SEND ? view.isSendDenied(key) : view.isReceiveDenied(key);
            if (!denied) {
                return CompletableFuture.completedFuture(ChangeResult.unchanged(key));
            }
            return apply(new DirectoryChange.Restrict(key, kind, false), key).thenApply(v -> ChangeResult.changed(key, List.of()));
        });
    }

    /** {@code setup email restrict list send|receive}: the denied addresses, sorted. */
    public List<String> listRestricted(RestrictionKind kind) {
        TreeSet<String> out = new TreeSet<>();
        for (DomainDirectory d : directory.view().domains().values()) {
            out.addAll(kind == RestrictionKind.SEND ? d.sendDenied() : d.receiveDenied());
        }
        return List.copyOf(out);
    }

    /** The local domains with their account and alias counts, sorted. */
    public List<DomainInfo> domains() {
        DirectoryView view = directory.view();
        List<DomainInfo> out = new ArrayList<>();
        for (String name : view.localDomains()) {
            DomainDirectory d = view.domains().get(name);
            out.add(new DomainInfo(name, d.accounts().size(), d.aliases().size()));
        }
        return out;
    }

    /** "send" or "receive", as the CLI and messages spell it. */
    public static String direction(RestrictionKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private static List<String> aliasesPointingAt(DirectoryView view, String address) {
        TreeSet<String> out = new TreeSet<>();
        for (DomainDirectory d : view.domains().values()) {
            for (Map.Entry<String, List<String>> e : d.aliases().entrySet()) {
                if (e.getValue().stream().anyMatch(t -> t.equalsIgnoreCase(address))) {
                    out.add(e.getKey());
                }
            }
        }
        return List.copyOf(out);
    }

    private String hashOf(String password) {
        if (password == null || password.isEmpty()) {
            throw AdminException.badRequest("empty-password", "Password must not be empty");
        }
        try {
            return hasher.hash(password);
        } catch (RuntimeException e) {
            throw new AdminException("hash-failed", "the password could not be hashed: " + e.getMessage(), 500);
        }
    }

    private void requireAccount(String key) {
        if (directory.view().account(key).isEmpty()) {
            throw AdminException.notFound("'" + key + "' does not exist");
        }
    }

    /** Validates a mail account address and lower-cases it (with docker-mailserver's warning). */
    private static String account(String address, List<String> warnings) {
        if (address == null || address.isBlank()) {
            throw AdminException.badRequest("missing-argument", "No account specified");
        }
        String s = address.strip();
        requireWellFormed(s);
        if (!s.contains("@")) {
            throw AdminException.badRequest("invalid-address", "'" + s + "' should include the domain (eg: user@example.com)");
        }
        String key = parse(s);
        if (!s.equals(s.toLowerCase(Locale.ROOT))) {
            warnings.add("Mail account '" + s + "' has uppercase letters and will be normalized to '" + key + "'");
        }
        return key;
    }

    private static String restricted(String address) {
        if (address == null || address.isBlank()) {
            throw AdminException.badRequest("missing-argument", "User must not be empty");
        }
        return account(address, new ArrayList<>());
    }

    /** An alias source: an address or a catch-all {@code @domain}. */
    private static String aliasSource(String alias) {
        if (alias == null || alias.isBlank()) {
            throw AdminException.badRequest("missing-argument", "No alias specified");
        }
        return addressOrDomain(alias.strip());
    }

    private static List<String> targets(String recipients) {
        if (recipients == null || recipients.isBlank()) {
            throw AdminException.badRequest("missing-argument", "No recipient specified");
        }
        List<String> out = new ArrayList<>();
        for (String part : recipients.split(",")) {
            if (!part.isBlank()) {
                out.add(target(part));
            }
        }
        if (out.isEmpty()) {
            throw AdminException.badRequest("missing-argument", "No recipient specified");
        }
        return out;
    }

    private static String target(String recipient) {
        return addressOrDomain(recipient.strip());
    }

    private static String addressOrDomain(String s) {
        requireWellFormed(s);
        if (s.startsWith("@")) {
            try {
                return "@" + MailAddress.normalizeDomain(s.substring(1), s);
            } catch (InvalidAddressException e) {
                throw AdminException.badRequest("invalid-address", e.getMessage());
            }
        }
        if (!s.contains("@")) {
            throw AdminException.badRequest("invalid-address", "'" + s + "' should include the domain (eg: user@example.com)");
        }
        return parse(s);
    }

    /** Every name stored in the directory passes here: invalid UTF-8 (decoded as U+FFFD) and control characters are refused. */
    private static void requireWellFormed(String s) {
        try {
            AddressText.requireWellFormed(s);
        } catch (InvalidAddressException e) {
            throw AdminException.badRequest("invalid-address", e.getMessage());
        }
    }

    private static String parse(String s) {
        try {
            return MailAddress.parse(s).key();
        } catch (InvalidAddressException e) {
            throw AdminException.badRequest("invalid-address", e.getMessage());
        }
    }

    private CompletionStage<Void> apply(DirectoryChange change, String address) {
        CompletionStage<Void> stage;
        try {
            stage = directory.apply(change);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(mapFailure(e, address));
        }
        return stage.handle((v, err) -> {
            if (err != null) {
                throw new CompletionException(mapFailure(err, address));
            }
            return null;
        });
    }

    /** Directory refusals become the same messages the pre-checks give; anything else is "unavailable". */
    static AdminException mapFailure(Throwable t, String address) {
        Throwable c = cause(t);
        if (c instanceof AdminException a) {
            return a;
        }
        if (c instanceof DirectoryException d) {
            return switch (d.code()) {
                case "exists" -> AdminException.conflict("exists", "'" + address + "' already exists");
                case "is-alias" -> AdminException.conflict("is-alias", "'" + address + "' is already defined as an alias");
                case "is-account" -> AdminException.conflict("is-account", "'" + address + "' is already defined as an account");
                case "not-found" -> AdminException.notFound(d.getMessage());
                default -> new AdminException(d.code(), d.getMessage(), 400);
            };
        }
        return new AdminException("unavailable", "the directory did not accept the change: "
                + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage()), 503);
    }

    private static Throwable cause(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static <T> CompletionStage<T> attempt(Supplier<CompletionStage<T>> body) {
        try {
            return body.get();
        } catch (AdminException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
