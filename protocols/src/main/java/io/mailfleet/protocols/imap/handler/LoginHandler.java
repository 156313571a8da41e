package io.mailfleet.protocols.imap.handler;

import io.mailfleet.core.service.Authenticator.AuthResult;
import io.mailfleet.core.service.SessionLease;
import io.mailfleet.protocols.auth.LoginAttempts;
import io.mailfleet.protocols.auth.SaslVerification;
import io.mailfleet.protocols.imap.AuthCache;
import io.mailfleet.protocols.imap.ImapSaslReplies;
import io.mailfleet.protocols.imap.command.StateCommands;
import io.mailfleet.protocols.netty.ChannelLogin;
import io.mailfleet.protocols.sasl.SaslAuthentication;
import io.mailfleet.protocols.sasl.SaslCredentials;
import io.mailfleet.protocols.sasl.SaslMechanisms;
import io.mailfleet.protocols.sasl.SaslRefusal;
import io.mailfleet.protocols.sasl.SaslStep;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * LOGIN and AUTHENTICATE: the password checked through the login policy (bans, failure limits) and
 * the cache, the per-user-and-IP session limit, then the authenticated state.
 */
final class LoginHandler {

    private static final Logger LOG = LoggerFactory.getLogger(LoginHandler.class);

    private final ImapContext ctx;
    private final SessionState session;
    private final AuthCache authCache;
    private final LoginAttempts logins;

    LoginHandler(ImapContext ctx, AuthCache authCache, LoginAttempts logins) {
        this.ctx = ctx;
        this.session = ctx.session();
        this.authCache = authCache;
        this.logins = logins;
    }

    void login(String tag, StateCommands.Login r) {
        if (!Capabilities.plaintextAllowed(ctx)) {
            ctx.finish(tag, "NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.",
                    true);
            return;
        }
        verify(tag, "LOGIN", r.user(), r.password());
    }

    void authenticate(String tag, StateCommands.Authenticate r) {
        SaslAuthentication sasl = SaslMechanisms.of(ctx.services().authenticator()).start(r.mechanism(), Capabilities.plaintextAllowed(ctx));
        saslStep(tag, sasl, sasl.begin(r.initialResponse()));
    }

    /** Maps one step of the shared SASL exchange to IMAP: {@code + } continuations, tagged NO/BAD. */
    private void saslStep(String tag, SaslAuthentication sasl, SaslStep step) {
        if (step instanceof SaslStep.Challenge c) {
            ctx.send("+ " + c.base64() + "\r\n");
            ctx.continueWith(line -> saslStep(tag, sasl, line == null ? sasl.tooLong() : sasl.respond(line)));
        } else if (step instanceof SaslStep.Authenticate a && a.credentials() instanceof SaslCredentials.Password p) {
            verify(tag, "AUTHENTICATE", p.authenticationId(), p.password());
        } else if (step instanceof SaslStep.Authenticate a) {
            verifyToken(tag, sasl, a.credentials());
        } else {
            SaslRefusal r = step instanceof SaslStep.Refused refused ? refused.reason() : SaslRefusal.UNSUPPORTED_MECHANISM;
            ctx.finish(tag, ImapSaslReplies.refusal(r), true);
        }
    }

    private void verify(String tag, String name, String user, String pass) {
        String remoteIp = ctx.remoteIp();
        // Through the login policy, so a banned address is refused even with a cached password.
        CompletionStage<AuthResult> verified = logins.verify(() -> {
            String known = authCache.get(user, pass);
            return known != null ? CompletableFuture.completedFuture(AuthResult.ok(known))
                    : ctx.services().authenticator().authenticate(user, pass, "imap", remoteIp).thenApply(r -> {
                        // A login that opens another name's mailbox (a master user's user*master) is
                        // checked, and logged with both names, every time: never from the cache; nor
                        // is an app password's (revocable on its own)
                        if (r.success() && r.cacheable() && r.account().equalsIgnoreCase(user.trim())) {
                            authCache.put(user, pass, r.account());
                        }
                        return r;
                    });
        });
        ctx.async(tag, name, verified, (AuthResult r) -> logins.answer(r, account -> admit(tag, name, account),
                () -> ctx.finish(tag, "NO [UNAVAILABLE] Temporary authentication failure.", true),
                () -> ctx.finish(tag, "NO [AUTHENTICATIONFAILED] Authentication failed.", true),
                () -> logins.hangUp(tag + " NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"
                        + "* BYE Too many invalid authentication attempts.\r\n")));
    }

    /** A bearer token: never cached; a refusal goes back into the exchange for the RFC 7628 error challenge. */
    private void verifyToken(String tag, SaslAuthentication sasl, SaslCredentials token) {
        CompletionStage<AuthResult> verified = logins.verify(() -> SaslVerification.check(ctx.services().authenticator(),
                token, "imap", ctx.remoteIp()));
        ctx.async(tag, "AUTHENTICATE", verified, (AuthResult r) -> {
            if (r.success()) {
                admit(tag, "AUTHENTICATE", r.account());
            } else if (logins.exhausted()) {
                logins.hangUp(tag + " NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"
                        + "* BYE Too many invalid authentication attempts.\r\n");
            } else {
                saslStep(tag, sasl, sasl.tokenRefused(SaslVerification.tokenError(ctx.services().authenticator())));
            }
        });
    }

    /** The per-user-and-IP limit counts this account's IMAP sessions on every node. */
    private void admit(String tag, String name, String account) {
        ChannelHandlerContext netty = ctx.netty();
        int max = ctx.settings().maxConnectionsPerUserIp();
        CompletionStage<Optional<SessionLease>> opened = ctx.services().sessions().open(account, "imap",
                ctx.remoteIp(), max, this::kickedByOperator);
        opened.whenCompleteAsync((l, err) -> {
            if (l != null && l.isPresent() && !netty.channel().isActive()) {
                l.get().close(); // the client left while the registry answered: nothing else will close it
            }
        }, netty.executor());
        ctx.async(tag, name, opened, (Optional<SessionLease> admitted) -> {
            if (admitted.isEmpty()) {
                ctx.finish(tag, "NO [LIMIT] Maximum number of connections from user+IP exceeded"
                        + " (mail_max_userip_connections=" + max + ")", true);
                return;
            }
            session.lease = admitted.get();
            session.account = account;
            // Creates the special-use folders on first login, and starts change notifications.
            ctx.async(tag, name, ctx.services().mailboxes().folders(account), folders -> {
                session.state = ImapState.AUTHENTICATED;
                ChannelLogin.markAuthenticated(netty.channel(), account);
                ctx.updates().watch(account);
                ctx.finish(tag, "OK [CAPABILITY " + Capabilities.of(ctx) + "] Logged in", true);
            });
        });
    }

    /** Called on any thread when an operator kicks this session: say goodbye and close on the event loop. */
    private void kickedByOperator() {
        ChannelHandlerContext netty = ctx.netty();
        netty.executor().execute(() -> {
            if (netty.channel().isActive()) {
                LOG.info("IMAP session of {} from {} kicked by an operator", session.account, ctx.remoteIp());
                netty.writeAndFlush(Unpooled.copiedBuffer("* BYE Disconnected by the administrator.\r\n",
                        StandardCharsets.UTF_8)).addListener(ChannelFutureListener.CLOSE);
            }
        });
    }
}
