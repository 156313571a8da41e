package io.mailfleet.server.web;

import io.mailfleet.core.ban.BanService;
import io.mailfleet.core.service.Authenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The web UI's password check, under the same rules as an IMAP login: an address banned right now is
 * refused without its password being checked, every failure is counted in the ban list (jail
 * {@code dovecot}, protocol {@code web}) and answered only after the login failure delay. The login
 * {@code admin} takes the API token as its password; any other login is a mail account checked by the
 * node's {@link Authenticator}, an administrator when listed in {@code mailfleet.web.admin-accounts}.
 */
public final class WebLogin {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.auth");
    /** The login that takes the API token. */
    public static final String ADMIN_LOGIN = "admin";

    private final byte[] token;
    private final List<String> adminAccounts;
    private final Authenticator authenticator;
    private final BanService bans;
    private final Duration failureDelay;

    public WebLogin(String apiToken, List<String> adminAccounts, Authenticator authenticator, BanService bans,
                    Duration failureDelay) {
        this.token = apiToken.getBytes(StandardCharsets.UTF_8);
        this.adminAccounts = List.copyOf(adminAccounts);
        this.authenticator = authenticator;
        this.bans = bans;
        this.failureDelay = failureDelay;
    }

    /** What a login attempt gave: who logged in, or the message the login page shows. */
    public record Outcome(boolean success, boolean admin, Optional<String> account, String message) {
        static Outcome failed(String message) {
            return new Outcome(false, false, Optional.empty(), message);
        }
    }

    /**
     * Checks one login; never fails (a broken check is a refused login). A failure completes no sooner
     * than the failure delay after this call, off the caller's thread.
     *
     * @param client the browser's address as the listener saw it, empty when unknown
     */
    public CompletionStage<Outcome> login(String login, String password, Optional<InetAddress> client) {
        long started = System.nanoTime();
        String ip = client.map(InetAddress::getHostAddress).orElse("unknown");
        String name = login == null ? "" : login.strip().toLowerCase(Locale.ROOT);
        CompletionStage<Boolean> banned = client.map(bans::isBannedNow)
                .orElse(CompletableFuture.completedFuture(false));
        CompletionStage<Outcome> checked = banned.thenCompose(isBanned -> {
            if (isBanned) {
                LOG.warn("web auth refused rip={} reason=banned", ip);
                return bans.reportFailure(ip, "web", "login while banned").handle((r, e) ->
                        Outcome.failed("Login refused: too many failed logins from your address. Try again later."));
            }
            if (name.equals(ADMIN_LOGIN)) {
                return adminToken(password, ip);
            }
            return authenticator.authenticate(name, password == null ? "" : password, "web", ip).thenApply(r -> r.success()
                    ? new Outcome(true, adminAccounts.contains(r.account()), Optional.of(r.account()), "")
                    : Outcome.failed("Login failed: wrong account or password."));
        }).exceptionally(err -> {
            LOG.error("web login check failed for {} from {}: {}", name, ip, err.toString());
            return Outcome.failed("Login failed: the check did not complete. Try again.");
        });
        return checked.thenCompose(o -> {
            if (o.success()) {
                return CompletableFuture.completedFuture(o);
            }
            long wait = Math.max(0, started + failureDelay.toNanos() - System.nanoTime());
            return CompletableFuture.supplyAsync(() -> o, CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS));
        });
    }

    private CompletionStage<Outcome> adminToken(String password, String ip) {
        byte[] given = password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8);
        if (token.length > 0 && MessageDigest.isEqual(token, given)) {
            LOG.info("web login ok user={} rip={}", ADMIN_LOGIN, ip);
            return CompletableFuture.completedFuture(new Outcome(true, true, Optional.empty(), ""));
        }
        LOG.warn("web auth failed user={} rip={} reason=wrong API token", ADMIN_LOGIN, ip);
        return bans.reportFailure(ip, "web", "wrong API token").handle((r, e) ->
                Outcome.failed("Login failed: wrong account or password."));
    }
}
