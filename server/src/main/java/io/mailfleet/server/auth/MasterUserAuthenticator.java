package io.mailfleet.server.auth;

import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.ban.BanService;
import io.mailfleet.core.service.Authenticator;
import io.mailfleet.core.service.DirectoryService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Dovecot master users in front of the account passwords: the login {@code user@example.com*admin}
 * with master {@code admin}'s password opens the user's mailbox. Logins without {@code *} go to the
 * account authenticator unchanged. Exactly one separator and two non-empty parts are accepted
 * ({@code a*b*c}, {@code *admin}, {@code user*} fail like a wrong password, after the same hash work);
 * on SMTP submission a master login fails unless {@code mailfleet.auth.master-users-smtp} is on.
 * Every master login is logged with both names; failures are counted in the ban list.
 */
public final class MasterUserAuthenticator implements Authenticator {

    /** Dovecot's {@code auth_master_user_separator} as docker-mailserver sets it. */
    public static final char SEPARATOR = '*';

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.auth");
    private static final AuthResult FAILED = AuthResult.failed("authentication failure");

    private final Authenticator accounts;
    private final MasterUsersFile masters;
    private final DirectoryService directory;
    private final Executor executor;
    private final BanService bans;
    private final boolean smtpAllowed;
    private final String dummyHash;

    public MasterUserAuthenticator(Authenticator accounts, MasterUsersFile masters, DirectoryService directory,
                                   Executor executor, BanService bans, boolean smtpAllowed) {
        this.accounts = accounts;
        this.masters = masters;
        this.directory = directory;
        this.executor = executor;
        this.bans = bans;
        this.smtpAllowed = smtpAllowed;
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        this.dummyHash = PasswordSchemes.hash(Base64.getEncoder().encodeToString(secret));
    }

    @Override
    public CompletionStage<AuthResult> authenticate(String login, String password, String protocol, String remoteAddress) {
        if (login == null || login.indexOf(SEPARATOR) < 0) {
            return accounts.authenticate(login, password, protocol, remoteAddress);
        }
        return CompletableFuture.supplyAsync(() -> check(login, password, protocol, remoteAddress), executor)
                .thenCompose(failure -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(AuthResult.ok(user(login)));
                    }
                    if (bans == null) {
                        return CompletableFuture.completedFuture(FAILED);
                    }
                    return bans.reportFailure(remoteAddress, protocol, failure).handle((x, err) -> FAILED);
                });
    }

    private static String user(String login) {
        return login.substring(0, login.indexOf(SEPARATOR)).trim().toLowerCase(Locale.ROOT);
    }

    /** Null when the master login is good, else the reason for the log. */
    private String check(String login, String password, String protocol, String remoteAddress) {
        int sep = login.indexOf(SEPARATOR);
        String user = login.substring(0, sep).trim().toLowerCase(Locale.ROOT);
        String master = login.substring(sep + 1).trim().toLowerCase(Locale.ROOT);
        String reason = null;
        if (user.isEmpty() || master.isEmpty() || master.indexOf(SEPARATOR) >= 0) {
            reason = "malformed master login";
        } else if ("smtp".equals(protocol) && !smtpAllowed) {
            reason = "master users may not log in on SMTP";
        }
        Optional<String> hash = reason == null ? masters.hash(master) : Optional.empty();
        boolean matches;
        try {
            // The same hash work whether or not the master exists, so timing does not tell.
            matches = PasswordSchemes.verify(password == null || password.isEmpty() ? "empty-password-filler" : password,
                    hash.orElse(dummyHash));
        } catch (RuntimeException e) {
            LOG.error("{} master login {}: stored hash of {} unusable: {}", protocol, login, master, e.getMessage());
            matches = false;
        }
        if (reason == null && hash.isEmpty()) {
            reason = "unknown master user";
        } else if (reason == null && (!matches || password == null || password.isEmpty())) {
            reason = "master password mismatch";
        } else if (reason == null && directory.view().account(user).isEmpty()) {
            reason = "unknown user";
        }
        if (reason == null) {
            LOG.info("{} master login ok user={} master={} rip={}", protocol, user, master, remoteAddress);
        } else {
            LOG.warn("{} master auth failed user={} master={} rip={} reason={}", protocol, user.isEmpty() ? "-" : user,
                    master.isEmpty() ? "-" : master, remoteAddress, reason);
        }
        return reason;
    }
}
