package io.mailfleet.server.ldap;

import io.mailfleet.core.ban.BanService;
import io.mailfleet.core.directory.DirectoryUnavailableException;
import io.mailfleet.core.service.Authenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Logins with {@code ACCOUNT_PROVISIONER=LDAP}: IMAP, POP3 and ManageSieve through Dovecot's passdb
 * settings ({@code DOVECOT_PASS_FILTER}, {@code DOVECOT_PASS_ATTRS}, {@code DOVECOT_AUTH_BIND}), SMTP AUTH
 * through saslauthd's when that is configured. A failed login is reported to the ban list like any
 * other; an LDAP server that cannot answer gives {@link AuthResult#unavailable}, which the protocols
 * answer with their temporary failure and which counts toward no ban.
 */
public final class LdapAuthenticator implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.auth");
    private static final AuthResult FAILED = AuthResult.failed("authentication failure");
    /** Longer logins are no address anyone has; refused before they reach a filter. */
    private static final int MAX_LOGIN = 320;

    private final LdapPasswordCheck logins;
    private final LdapPasswordCheck smtpLogins;
    private final BanService bans;

    /** @param bans reports failures (may be null) */
    public LdapAuthenticator(LdapPasswordCheck logins, LdapPasswordCheck smtpLogins, BanService bans) {
        this.logins = logins;
        this.smtpLogins = smtpLogins;
        this.bans = bans;
    }

    @Override
    public CompletionStage<AuthResult> authenticate(String login, String password, String protocol, String remoteAddress) {
        String key = login == null ? "" : login.trim().toLowerCase(Locale.ROOT);
        if (key.isEmpty() || key.length() > MAX_LOGIN || password == null || password.isEmpty()
                || key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return fail(key, protocol, remoteAddress, key.isEmpty() ? "empty login" : password == null || password.isEmpty()
                    ? "empty password" : "malformed login");
        }
        LdapPasswordCheck check = "smtp".equals(protocol) ? smtpLogins : logins;
        CompletableFuture<LdapPasswordCheck.Outcome> outcome;
        try {
            outcome = check.check(key, password);
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        return outcome.handle((o, err) -> {
            if (err != null) {
                if (DirectoryUnavailableException.isCause(err)) {
                    Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                            ? err.getCause() : err;
                    LOG.warn("{} auth tempfail user={} rip={} reason=LDAP unavailable: {}", protocol, key, remoteAddress,
                            cause.getMessage());
                    return CompletableFuture.completedFuture(AuthResult.unavailable("LDAP unavailable"));
                }
                LOG.error("{} auth tempfail user={} rip={} reason={}", protocol, key, remoteAddress, err.toString());
                return CompletableFuture.completedFuture(AuthResult.unavailable(err.toString()));
            }
            if (o.ok()) {
                LOG.info("{} login ok user={} rip={} (LDAP)", protocol, o.account(), remoteAddress);
                return CompletableFuture.completedFuture(AuthResult.ok(o.account()));
            }
            return fail(key, protocol, remoteAddress, o.reason());
        }).thenCompose(s -> s);
    }

    private CompletionStage<AuthResult> fail(String key, String protocol, String remoteAddress, String reason) {
        LOG.warn("{} auth failed user={} rip={} reason={}", protocol, key, remoteAddress, reason);
        if (bans == null) {
            return CompletableFuture.completedFuture(FAILED);
        }
        return bans.reportFailure(remoteAddress, protocol, reason).handle((x, e) -> FAILED);
    }
}
