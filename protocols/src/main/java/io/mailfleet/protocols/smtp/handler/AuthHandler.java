package io.mailfleet.protocols.smtp.handler;

import io.mailfleet.core.service.Authenticator.AuthResult;
import io.mailfleet.core.service.SessionLease;
import io.mailfleet.protocols.auth.LoginAttempts;
import io.mailfleet.protocols.auth.SaslVerification;
import io.mailfleet.protocols.netty.ChannelLogin;
import io.mailfleet.protocols.sasl.SaslAuthentication;
import io.mailfleet.protocols.sasl.SaslCredentials;
import io.mailfleet.protocols.sasl.SaslMechanisms;
import io.mailfleet.protocols.sasl.SaslRefusal;
import io.mailfleet.protocols.sasl.SaslStep;
import io.mailfleet.protocols.sasl.TlsOnlyPolicy;
import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.command.AuthRequest;
import io.mailfleet.protocols.smtp.command.SmtpCommandParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * AUTH (RFC 4954) on submission: drives the shared SASL exchange, verifies the credentials through
 * the login-failure policy, and lists the authenticated session in the registry (where an operator
 * can kick it).
 */
final class AuthHandler {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.smtp");

    private final SmtpContext s;
    private final LoginAttempts logins;
    /** The SASL exchange waiting for a response line. */
    private SaslAuthentication sasl;
    /** This session in the session registry, once authenticated and registered. */
    private SessionLease registration;

    AuthHandler(SmtpContext s, LoginAttempts logins) {
        this.s = s;
        this.logins = logins;
    }

    void auth(String arg) {
        if (!s.settings().mode().isSubmission()) {
            s.reply(new SmtpReply(503, "5.5.1", "Error: authentication not enabled"));
            return;
        }
        if (SessionRules.tlsRequiredFirst(s)) {
            s.reply(SessionRules.STARTTLS_FIRST);
            return;
        }
        if (s.client().helo() == null) {
            s.reply(SessionRules.HELO_FIRST);
            return;
        }
        if (s.client().login() != null) {
            s.reply(new SmtpReply(503, "5.5.1", "Error: already authenticated"));
            return;
        }
        if (s.transaction() != null) {
            s.reply(new SmtpReply(503, "5.5.1", "Error: MAIL transaction in progress"));
            return;
        }
        AuthRequest req = SmtpCommandParser.auth(arg).requestOr(r -> s.reply(r.reply()));
        if (req == null) {
            return;
        }
        sasl = SaslMechanisms.of(s.services().authenticator()).start(req.mechanism(),
                TlsOnlyPolicy.secretsAllowed(s.client().tls(), SessionRules.tlsAvailable(s)));
        saslStep(req.mechanism(), sasl.begin(req.initialResponse()));
    }

    /** A response line of the exchange in progress. */
    void respond(String line) {
        saslStep(sasl.mechanismName(), sasl.respond(line));
    }

    /** The response line was over the limit (a 100 KB token, say): the exchange ends with the length refusal. */
    void respondTooLong() {
        saslStep(sasl.mechanismName(), sasl.tooLong());
    }

    /** Forgets the exchange in progress (RSET, EHLO, STARTTLS, close). */
    void cancel() {
        sasl = null;
    }

    /** The connection is gone: leaves the session registry. */
    void release() {
        if (registration != null) {
            registration.close();
            registration = null;
        }
    }

    /** Maps one step of the shared SASL exchange to SMTP: 334 challenges, 501/504/535 refusals. */
    private void saslStep(String mech, SaslStep step) {
        s.expectAuthResponse(false);
        if (step instanceof SaslStep.Challenge c) {
            s.expectAuthResponse(true);
            s.send(new SmtpReply(334, "", c.base64()));
            return;
        }
        SaslAuthentication exchange = sasl;
        sasl = null;
        if (step instanceof SaslStep.Authenticate a && a.credentials() instanceof SaslCredentials.Password p) {
            verify(p.authenticationId(), p.password());
        } else if (step instanceof SaslStep.Authenticate a) {
            verifyToken(mech, exchange, a.credentials());
        } else {
            s.reply(SmtpSaslReplies.refusal(step instanceof SaslStep.Refused r ? r.reason()
                    : SaslRefusal.UNSUPPORTED_MECHANISM, mech));
        }
    }

    private void verify(String user, String password) {
        CompletionStage<AuthResult> stage;
        try {
            stage = logins.verify(() -> s.services().authenticator().authenticate(user, password, "smtp", s.client().remoteIp()));
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        s.pauseUntil(stage, (result, err) -> {
            if (err == null && result.unavailable()) {
                LOG.info("session={} client={} auth user={} status=tempfail reason={}", s.client().sessionId(),
                        s.client().remoteIp(), user, result.reason());
                s.reply(new SmtpReply(454, "4.7.0", "Temporary authentication failure"));
            } else if (err != null) {
                LOG.info("session={} client={} auth user={} status=tempfail reason={}", s.client().sessionId(), s.client().remoteIp(), user,
                        err.toString());
                s.reply(new SmtpReply(454, "4.7.0", "Temporary authentication failure"));
            } else if (result.success()) {
                accepted(result.account());
            } else {
                String reason = result.reason() == null || result.reason().isBlank()
                        ? "authentication failure" : result.reason();
                LOG.info("session={} client={} auth user={} status=failed reason={}", s.client().sessionId(), s.client().remoteIp(), user,
                        reason);
                s.reply(new SmtpReply(535, "5.7.8", "Error: authentication failed: " + reason));
                if (logins.exhausted() && !s.closing()) {
                    s.close(new SmtpReply(421, "4.7.0", s.settings().hostname()
                            + " Error: too many authentication failures"));
                }
            }
        });
    }

    /** A bearer token; a refusal goes back into the exchange for the RFC 7628 error challenge (334), then 535. */
    private void verifyToken(String mech, SaslAuthentication exchange, SaslCredentials token) {
        String user = SaslVerification.login(token);
        CompletionStage<AuthResult> stage;
        try {
            stage = logins.verify(() -> SaslVerification.check(s.services().authenticator(), token, "smtp",
                    s.client().remoteIp()));
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        s.pauseUntil(stage, (result, err) -> {
            if (err != null) {
                LOG.info("session={} client={} auth mechanism={} user={} status=tempfail reason={}", s.client().sessionId(),
                        s.client().remoteIp(), mech, user, err.toString());
                s.reply(new SmtpReply(454, "4.7.0", "Temporary authentication failure"));
            } else if (result.success()) {
                accepted(result.account());
            } else {
                LOG.info("session={} client={} auth mechanism={} user={} status=failed reason=invalid token",
                        s.client().sessionId(), s.client().remoteIp(), mech, user);
                if (logins.exhausted() && !s.closing()) {
                    s.reply(SmtpSaslReplies.refusal(SaslRefusal.INVALID_TOKEN, mech));
                    s.close(new SmtpReply(421, "4.7.0", s.settings().hostname()
                            + " Error: too many authentication failures"));
                    return;
                }
                sasl = exchange;
                saslStep(mech, exchange.tokenRefused(SaslVerification.tokenError(s.services().authenticator())));
            }
        });
    }

    private void accepted(String login) {
        s.authenticated(login);
        ChannelLogin.markAuthenticated(s.channel().channel(), login);
        LOG.info("session={} client={} auth user={} status=ok", s.client().sessionId(), s.client().remoteIp(), login);
        register(login);
        s.reply(new SmtpReply(235, "2.7.0", "Authentication successful"));
    }

    /**
     * Lists the authenticated session in the registry (operators see and can kick it) without
     * delaying the reply: submission has no per-user-and-IP limit, so the answer never refuses.
     */
    private void register(String account) {
        var ctx = s.channel();
        s.services().sessions().open(account, "smtp", s.client().remoteIp(), 0, this::kickedByOperator)
                .whenCompleteAsync((lease, err) -> {
                    if (err != null) {
                        LOG.warn("session={} SMTP session of {} not registered: {}", s.client().sessionId(), account,
                                err.toString());
                    } else if (lease.isPresent() && (s.closing() || !ctx.channel().isActive())) {
                        lease.get().close();
                    } else {
                        registration = lease.orElse(null);
                    }
                }, ctx.executor());
    }

    /** Called on any thread when an operator kicks this session. */
    private void kickedByOperator() {
        var ctx = s.channel();
        ctx.executor().execute(() -> {
            if (ctx.channel().isActive() && !s.closing()) {
                LOG.info("session={} client={} user={} kicked by an operator", s.client().sessionId(), s.client().remoteIp(), s.client().login());
                s.close(new SmtpReply(421, "4.7.0", s.settings().hostname() + " Disconnected by the administrator"));
            }
        });
    }
}
