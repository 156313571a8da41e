package io.mailfleet.protocols.smtp.ratelimit;

import io.mailfleet.core.ban.IpNetwork;
import io.mailfleet.core.ratelimit.RateLimit;
import io.mailfleet.core.ratelimit.RateLimiter;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.ConnectAttempt;
import io.mailfleet.protocols.smtp.check.MailAttempt;
import io.mailfleet.protocols.smtp.check.RcptAttempt;
import io.mailfleet.protocols.smtp.check.SmtpChecks;
import io.mailfleet.protocols.smtp.check.SmtpPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The rate limits as connect, MAIL and RCPT checks, with Postfix's replies: {@code 421 4.7.0} for
 * connections (the connection is closed), {@code 450 4.7.1} for messages, {@code 452 4.5.3} for
 * recipients. Clients in the trusted networks are exempt; IPv6 clients count per /64. When the
 * cluster's counter does not answer, the event is let through and logged.
 */
public final class RateLimitChecks {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.ratelimit");

    private final RateLimiter limiter;
    private final SmtpRateLimits limits;
    private final List<Cidr> trusted;
    private final String hostname;

    public RateLimitChecks(RateLimiter limiter, SmtpRateLimits limits, List<Cidr> trusted, String hostname) {
        this.limiter = limiter;
        this.limits = limits;
        this.trusted = List.copyOf(trusted);
        this.hostname = hostname;
    }

    /**
     * {@code checks} with the connection limit and, on port 25 ({@code mx}), the per-client message and
     * recipient limits, or on the submission ports the per-account ones.
     */
    public SmtpChecks addTo(SmtpChecks checks, boolean mx) {
        SmtpChecks c = checks;
        if (limits.clientConnections().isPresent()) {
            c = c.withConnect(this::connect);
        }
        if (mx ? limits.clientMessages().isPresent() : !limits.userMessages().isEmpty()) {
            c = c.withMail(a -> mail(a, !mx));
        }
        if (mx ? limits.clientRecipients().isPresent() : !limits.userRecipients().isEmpty()) {
            c = c.withRcpt(a -> rcpt(a, !mx));
        }
        return c;
    }

    /** The counting key of a client: its address, or its /64 for IPv6. */
    public static String clientKey(InetAddress address) {
        return address instanceof Inet4Address ? address.getHostAddress() : IpNetwork.bucketOf(address);
    }

    private boolean exempt(SmtpPeer p) {
        if (p.remoteAddress() == null) {
            return true;
        }
        for (Cidr c : trusted) {
            if (c.contains(p.remoteAddress())) {
                return true;
            }
        }
        return false;
    }

    private CompletionStage<CheckResult> connect(ConnectAttempt a) {
        if (exempt(a.client())) {
            return CompletableFuture.completedFuture(CheckResult.ACCEPT);
        }
        String key = clientKey(a.client().remoteAddress());
        return acquire(List.of(limits.clientConnections().get()), key, new SmtpReply(421, "4.7.0",
                hostname + " Error: too many connections from " + a.client().remoteIp()));
    }

    private CompletionStage<CheckResult> mail(MailAttempt a, boolean users) {
        if (exempt(a.client())) {
            return CompletableFuture.completedFuture(CheckResult.ACCEPT);
        }
        List<RateLimit> client = users ? List.of() : limits.clientMessages().map(List::of).orElse(List.of());
        SmtpReply clientReply = new SmtpReply(450, "4.7.1", "Error: too much mail from " + a.client().remoteIp());
        String login = a.client().login();
        if (!users || login == null || limits.userMessages().isEmpty()) {
            return acquire(client, clientKey(a.client().remoteAddress()), clientReply);
        }
        return acquire(client, clientKey(a.client().remoteAddress()), clientReply).thenCompose(r ->
                r instanceof CheckResult.Refuse ? CompletableFuture.completedFuture(r)
                        : acquire(limits.userMessages(), userKey(login),
                        new SmtpReply(450, "4.7.1", "Error: too much mail from " + login)));
    }

    private CompletionStage<CheckResult> rcpt(RcptAttempt a, boolean users) {
        if (exempt(a.client())) {
            return CompletableFuture.completedFuture(CheckResult.ACCEPT);
        }
        List<RateLimit> client = users ? List.of() : limits.clientRecipients().map(List::of).orElse(List.of());
        SmtpReply clientReply = new SmtpReply(452, "4.5.3", "Error: too many recipients from " + a.client().remoteIp());
        String login = a.client().login();
        if (!users || login == null || limits.userRecipients().isEmpty()) {
            return acquire(client, clientKey(a.client().remoteAddress()), clientReply);
        }
        return acquire(client, clientKey(a.client().remoteAddress()), clientReply).thenCompose(r ->
                r instanceof CheckResult.Refuse ? CompletableFuture.completedFuture(r)
                        : acquire(limits.userRecipients(), userKey(login),
                        new SmtpReply(452, "4.5.3", "Error: too many recipients from " + login)));
    }

    /** The counting key of an account, apart from client addresses. */
    public static String userKey(String login) {
        return "user:" + login.toLowerCase(java.util.Locale.ROOT);
    }

    /** Counts the event under each limit in turn; the first that refuses answers {@code reply}. */
    private CompletionStage<CheckResult> acquire(List<RateLimit> list, String key, SmtpReply reply) {
        return acquire(new ArrayList<>(list), 0, key, reply);
    }

    private CompletionStage<CheckResult> acquire(List<RateLimit> list, int i, String key, SmtpReply reply) {
        if (i == list.size()) {
            return CompletableFuture.completedFuture(CheckResult.ACCEPT);
        }
        RateLimit limit = list.get(i);
        // A counter that cannot answer lets the event through, as Postfix does when anvil is down:
        // a cluster hiccup must not refuse every client.
        return limiter.tryAcquire(limit, key).exceptionally(err -> {
            LOG.warn("rate limit {} not checked for {}: {}", limit.name(), key, err.toString());
            return true;
        }).thenCompose(ok -> {
            if (!ok) {
                LOG.warn("rate limit {} ({} per {}s) reached by {}", limit.name(), limit.max(),
                        limit.window().toSeconds(), key);
                return CompletableFuture.completedFuture(CheckResult.refuse(reply, "rate limit " + limit.name()));
            }
            return acquire(list, i + 1, key, reply);
        });
    }
}
