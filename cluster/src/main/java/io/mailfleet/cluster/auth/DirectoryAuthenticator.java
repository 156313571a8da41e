package io.mailfleet.cluster.auth;

import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.ban.BanService;
import io.mailfleet.core.directory.Account;
import io.mailfleet.core.service.Authenticator;
import io.mailfleet.core.service.DirectoryService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Verifies logins against the directory read cache. Hash verification runs on a dedicated executor
 * because crypt schemes are slow on purpose and must never stall a network thread.
 */
public final class DirectoryAuthenticator implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.auth");

    private final DirectoryService directory;
    private final Executor executor;
    private final BanService bans;

    /** Without ban reporting (fail2ban off). */
    public DirectoryAuthenticator(DirectoryService directory, Executor executor) {
        this(directory, executor, null);
    }

    /** Reports every failed login to {@code bans} (may be null). */
    public DirectoryAuthenticator(DirectoryService directory, Executor executor, BanService bans) {
        this.directory = directory;
        this.executor = executor;
        this.bans = bans;
    }

    @Override
    public CompletionStage<AuthResult> authenticate(String login, String password, String protocol, String remoteAddress) {
        return CompletableFuture.supplyAsync(() -> check(login, password, protocol, remoteAddress), executor);
    }

    private AuthResult check(String login, String password, String protocol, String remoteAddress) {
        String key = login == null ? "" : login.trim().toLowerCase(Locale.ROOT);
        Optional<Account> account = directory.view().account(key);
        boolean ok;
        try {
            ok = account.isPresent() && password != null && !password.isEmpty()
                    && PasswordSchemes.verify(password, account.get().passwordHash());
        } catch (RuntimeException e) {
            // A hash we cannot read is an operator problem; the client just sees a failed login.
            LOG.error("{} login for {} from {}: stored hash unusable: {}", protocol, key, remoteAddress, e.getMessage());
            ok = false;
        }
        if (ok) {
            LOG.info("{} login ok user={} rip={}", protocol, key, remoteAddress);
            return AuthResult.ok(key);
        }
        String reason = account.isPresent() ? "password mismatch" : "unknown user";
        LOG.warn("{} auth failed user={} rip={} reason={}", protocol, key, remoteAddress, reason);
        if (bans != null) {
            bans.reportFailure(remoteAddress, protocol, reason);
        }
        // The client learns nothing about which accounts exist; the log keeps the detail.
        return AuthResult.failed("authentication failure");
    }
}
