package io.mailfleet.protocols.auth;

import io.mailfleet.core.ban.BanService;
import io.mailfleet.core.service.Authenticator.AuthResult;
import io.mailfleet.protocols.netty.RemoteAddress;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One connection's login attempts under a {@link LoginPolicy}; each session owns one and runs every
 * password check through {@link #verify}. An address banned right now is refused without its password
 * being checked (and the attempt is counted in the ban list); a failure is answered only after the
 * failure delay, scheduled on the channel's event loop while the session reads no further input; once
 * {@link #exhausted()} (too many failures, or the address is banned, by this failure or before) the
 * session sends its goodbye and {@link #hangUp}s.
 */
public final class LoginAttempts {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.auth");

    private final LoginPolicy policy;
    private final Optional<BanService> bans;
    private final ChannelHandlerContext ctx;
    private final String protocol;
    private int failures;
    /** Set on the event loop when a failure is answered while the address is banned. */
    private boolean banned;

    /**
     * @param bans     the ban list, when fail2ban is on
     * @param protocol {@code imap}, {@code pop3}, {@code managesieve} or {@code smtp}: the jail and the log
     */
    public LoginAttempts(LoginPolicy policy, Optional<BanService> bans, ChannelHandlerContext ctx, String protocol) {
        this.policy = policy;
        this.bans = bans;
        this.ctx = ctx;
        this.protocol = protocol;
    }

    /**
     * Runs one login: {@code check} (the password check, e.g. the authenticator) unless the address is
     * banned now. A success completes as soon as it is known; a failure completes on the event loop no
     * sooner than the failure delay after this call. Call on the event loop; input must stay paused
     * until the stage completes (the sessions' asynchronous command handling does that).
     */
    public CompletionStage<AuthResult> verify(Supplier<CompletionStage<AuthResult>> check) {
        long started = System.nanoTime();
        ctx.channel().config().setAutoRead(false);
        InetSocketAddress client = RemoteAddress.of(ctx.channel());
        CompletionStage<Boolean> bannedAtStart = bans.isPresent() && client != null && client.getAddress() != null
                ? bans.get().isBannedNow(client.getAddress()) : CompletableFuture.completedFuture(false);
        CompletableFuture<AuthResult> answer = new CompletableFuture<>();
        bannedAtStart.thenCompose(isBanned -> {
            if (!isBanned) {
                return check.get();
            }
            String ip = client.getAddress().getHostAddress();
            LOG.warn("{} auth refused rip={} reason=banned", protocol, ip);
            return bans.get().reportFailure(ip, protocol, "login while banned")
                    .handle((r, e) -> AuthResult.failed("authentication failure"));
        }).whenComplete((r, err) -> {
            if (err != null || r.success() || r.unavailable()) { // an unavailable source is nobody's failed login
                ctx.executor().execute(() -> complete(answer, r, err));
                return;
            }
            // the failure may have banned the address (the authenticator reported it and waited for the
            // ban to be written): then this answer is the connection's last, whatever maxFailures says
            bannedNow(client).thenAccept(isBanned -> {
                long wait = Math.max(0, started + policy.failureDelay().toNanos() - System.nanoTime());
                ctx.executor().schedule(() -> {
                    ++failures;
                    String ip = client == null || client.getAddress() == null ? "?" : client.getAddress().getHostAddress();
                    if (isBanned) {
                        banned = true;
                        LOG.info("{} client={} is banned ({} failed logins on this connection): closing the session",
                                protocol, ip, failures);
                    } else if (failures >= policy.maxFailures()) {
                        LOG.info("{} client={} {} failed logins: closing the session", protocol, ip, failures);
                    }
                    complete(answer, r, null);
                }, wait, TimeUnit.NANOSECONDS);
            });
        });
        return answer;
    }

    /** Whether the ban list holds {@code client} now, including a ban written a moment ago; false on any error. */
    private CompletionStage<Boolean> bannedNow(InetSocketAddress client) {
        if (bans.isEmpty() || client == null || client.getAddress() == null) {
            return CompletableFuture.completedFuture(false);
        }
        try {
            return bans.get().isBannedNow(client.getAddress()).handle((b, e) -> e == null && Boolean.TRUE.equals(b));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(false);
        }
    }

    private static void complete(CompletableFuture<AuthResult> answer, AuthResult r, Throwable err) {
        if (err != null) {
            answer.completeExceptionally(err);
        } else {
            answer.complete(r);
        }
    }

    /**
     * Whether the session must end: this connection had {@code maxFailures} failed logins, or its address
     * was banned when its last failure was answered (the failure that caused the ban, or a login from an
     * address banned already): the client gets that answer and the goodbye, never another answer.
     */
    public boolean exhausted() {
        return banned || failures >= policy.maxFailures();
    }

    /**
     * Answers a login checked through {@link #verify}, in the same order for every protocol: a password
     * source that could not answer is nobody's failure ({@code unavailable}); a failure that is the
     * connection's last ({@link #exhausted()}) runs {@code last}, which sends the refusal and goodbye
     * and {@link #hangUp}s; another failure runs {@code refused}; a success gives the account to
     * {@code accepted}.
     */
    public void answer(AuthResult r, Consumer<String> accepted, Runnable unavailable, Runnable refused, Runnable last) {
        if (r.unavailable()) {
            unavailable.run();
        } else if (!r.success()) {
            (exhausted() ? last : refused).run();
        } else {
            accepted.accept(r.account());
        }
    }

    /** Failed logins on this connection so far. */
    public int failures() {
        return failures;
    }

    /** Sends {@code goodbye} (complete lines with CRLF), then closes the connection; reads nothing more. */
    public void hangUp(String goodbye) {
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(Unpooled.copiedBuffer(goodbye, StandardCharsets.UTF_8)).addListener(ChannelFutureListener.CLOSE);
    }
}
