package io.mailfleet.cluster.auth;

import io.mailfleet.core.auth.AppPassword;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.auth.Scheme;
import io.mailfleet.core.ban.BanService;
import io.mailfleet.core.directory.Account;
import io.mailfleet.core.service.AppPasswordStore;
import io.mailfleet.core.service.Authenticator;
import io.mailfleet.core.service.DirectoryService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Verifies logins against the directory read cache. Hash verification runs on a dedicated executor
 * because crypt schemes are slow on purpose and must never stall a network thread. An unknown account
 * or an empty password is checked against a dummy hash of the scheme new accounts get, so the time a
 * failure takes does not tell which accounts exist. A failure completes only once the ban list has
 * counted it (and published the ban it caused), so the client's next guess meets the ban everywhere.
 */
public final class DirectoryAuthenticator implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.auth");
    /** What the client is told: nothing about which accounts exist. */
    private static final AuthResult FAILED = AuthResult.failed("authentication failure");
    private static final String EMPTY_FILLER = "empty-password-filler";

    private final DirectoryService directory;
    private final Executor executor;
    private final BanService bans;
    private final String dummyHash;
    private final AppPasswordStore appPasswords;

    /** Without ban reporting (fail2ban off). */
    public DirectoryAuthenticator(DirectoryService directory, Executor executor) {
        this(directory, executor, null);
    }

    /** Reports every failed login to {@code bans} (may be null); dummy checks use SHA512-CRYPT, the default scheme. */
    public DirectoryAuthenticator(DirectoryService directory, Executor executor, BanService bans) {
        this(directory, executor, bans, Scheme.SHA512_CRYPT);
    }

    /** As above; {@code newAccountScheme} is the scheme new passwords are hashed with ({@code mailfleet.passwords.scheme}). */
    public DirectoryAuthenticator(DirectoryService directory, Executor executor, BanService bans, Scheme newAccountScheme) {
        this(directory, executor, bans, newAccountScheme, null);
    }

    /** As above, also accepting the account's app passwords in their scopes ({@code appPasswords} may be null). */
    public DirectoryAuthenticator(DirectoryService directory, Executor executor, BanService bans, Scheme newAccountScheme,
                                  AppPasswordStore appPasswords) {
        this.directory = directory;
        this.executor = executor;
        this.bans = bans;
        this.dummyHash = dummyHash(newAccountScheme);
        this.appPasswords = appPasswords;
    }

    /** A hash of a random password nobody knows, at the scheme's default cost. */
    private static String dummyHash(Scheme scheme) {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        return PasswordSchemes.hash(Base64.getEncoder().encodeToString(secret), scheme);
    }

    @Override
    public CompletionStage<AuthResult> authenticate(String login, String password, String protocol, String remoteAddress) {
        return CompletableFuture.supplyAsync(() -> check(login, password, protocol, remoteAddress), executor)
                .thenCompose(r -> r.success() || !"password mismatch".equals(r.reason()) || appPasswords == null
                        || AppPassword.scopeOf(protocol) == null ? CompletableFuture.completedFuture(r)
                        : withAppPasswords(login.trim().toLowerCase(Locale.ROOT), password, protocol, remoteAddress, r))
                .thenCompose(r -> {
                    if (r.success()) {
                        return CompletableFuture.completedFuture(r);
                    }
                    if (bans == null) {
                        return CompletableFuture.completedFuture(FAILED);
                    }
                    return bans.reportFailure(remoteAddress, protocol, r.reason()).handle((x, err) -> FAILED);
                });
    }

    /**
     * After the account's password did not match: the account's app passwords that allow this protocol,
     * address and time, each verified like a password (on the executor). {@code mismatch} when none matches
     * or the store does not answer.
     */
    private CompletionStage<AuthResult> withAppPasswords(String account, String password, String protocol,
                                                         String remoteAddress, AuthResult mismatch) {
        return appPasswords.list(account).thenApplyAsync(list -> {
            InetAddress remote = parseAddress(remoteAddress);
            Instant now = Instant.now();
            List<AppPassword> usable = list.stream().filter(p -> p.allows(protocol, remote, now)).toList();
            for (AppPassword p : usable) {
                boolean matches;
                try {
                    matches = PasswordSchemes.verify(password, p.hash());
                } catch (RuntimeException e) {
                    LOG.error("app password {} of {} has an unusable hash: {}", p.name(), account, e.getMessage());
                    matches = false;
                }
                if (matches) {
                    LOG.info("{} login ok user={} rip={} app-password={}", protocol, account, remoteAddress, p.name());
                    return AuthResult.okUncached(account);
                }
            }
            LOG.warn("{} auth failed user={} rip={} reason=password mismatch{}", protocol, account, remoteAddress,
                    list.isEmpty() ? "" : " (nor any of " + usable.size() + " app passwords allowed here of "
                            + list.size() + ")");
            return mismatch;
        }, executor).exceptionally(err -> {
            LOG.warn("{} auth failed user={} rip={} reason=password mismatch (app passwords not available: {})", protocol,
                    account, remoteAddress, err.toString());
            return mismatch;
        });
    }

    private static InetAddress parseAddress(String ip) {
        if (ip == null || ip.isEmpty() || !(ip.contains(":") || ip.matches("[0-9.]+"))) {
            return null; // only literals: never a DNS look-up
        }
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** The check; a failure carries the log's reason, which {@link #authenticate} replaces for the client. */
    private AuthResult check(String login, String password, String protocol, String remoteAddress) {
        String key = login == null ? "" : login.trim().toLowerCase(Locale.ROOT);
        Optional<Account> account = directory.view().account(key);
        boolean emptyPassword = password == null || password.isEmpty();
        boolean ok;
        try {
            // Unknown account or empty password: the same work as a wrong password (crypt time grows
            // with the password's length, hence a filler of a typical length), and the answer is no.
            String candidate = emptyPassword ? EMPTY_FILLER : password;
            boolean matches = PasswordSchemes.verify(candidate, account.map(Account::passwordHash).orElse(dummyHash));
            ok = matches && account.isPresent() && !emptyPassword;
        } catch (RuntimeException e) {
            // A hash we cannot read is an operator problem; the client just sees a failed login.
            LOG.error("{} login for {} from {}: stored hash unusable: {}", protocol, key, remoteAddress, e.getMessage());
            ok = false;
        }
        if (ok) {
            LOG.info("{} login ok user={} rip={}", protocol, key, remoteAddress);
            return AuthResult.ok(key);
        }
        String reason = account.isEmpty() ? "unknown user"
                : password == null || password.isEmpty() ? "empty password" : "password mismatch";
        if (!reason.equals("password mismatch") || appPasswords == null || AppPassword.scopeOf(protocol) == null) {
            LOG.warn("{} auth failed user={} rip={} reason={}", protocol, key, remoteAddress, reason);
        } // else logged once the app passwords were tried as well
        // The client learns nothing about which accounts exist; the log keeps the detail.
        return AuthResult.failed(reason);
    }
}
