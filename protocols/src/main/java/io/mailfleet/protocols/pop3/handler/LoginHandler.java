package io.mailfleet.protocols.pop3.handler;

import io.mailfleet.core.mailbox.FolderSnapshot;
import io.mailfleet.core.service.Authenticator.AuthResult;
import io.mailfleet.core.service.SessionLease;
import io.mailfleet.protocols.auth.LoginAttempts;
import io.mailfleet.protocols.netty.ChannelLogin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The end of a login (USER/PASS or AUTH): the credentials checked under the login policy, the
 * per-user-and-IP session limit, the cluster-wide maildrop lock, then the maildrop opened and
 * TRANSACTION entered.
 */
final class LoginHandler {

    private static final Logger LOG = LoggerFactory.getLogger(LoginHandler.class);

    private final Pop3Context s;
    private final LoginAttempts logins;
    private final Maildrop drop;

    LoginHandler(Pop3Context s, LoginAttempts logins, Maildrop drop) {
        this.s = s;
        this.logins = logins;
        this.drop = drop;
    }

    /** Checks a user name and password. */
    void login(String user, String password) {
        login(() -> s.services().authenticator().authenticate(user, password, "pop3", s.remoteIp()), () -> {
            s.bad(Pop3SaslReplies.AUTH_FAILED);
            s.resume();
        });
    }

    /** Runs {@code check} under the login policy; {@code refused} answers a failure that does not end the session. */
    void login(Supplier<CompletionStage<AuthResult>> check, Runnable refused) {
        s.async(logins.verify(check), (AuthResult r) -> logins.answer(r, this::admit, () -> {
            s.reply("-ERR [SYS/TEMP] Temporary authentication failure.");
            s.resume();
        }, refused, () -> {
            s.hangUp();
            logins.hangUp("-ERR [AUTH] Authentication failed. Too many invalid authentication attempts.\r\n");
        }));
    }

    /** The per-user-and-IP limit counts this account's POP3 sessions on every node. */
    private void admit(String user) {
        int limit = s.settings().maxConnectionsPerUserIp();
        s.async(s.services().sessions().open(user, "pop3", s.remoteIp(), limit, s::kickedByOperator),
                (Optional<SessionLease> admitted) -> {
            if (admitted.isEmpty()) {
                s.reply("-ERR [IN-USE] Maximum number of connections from user+IP exceeded"
                        + " (mail_max_userip_connections=" + limit + ")");
                s.resume();
                return;
            }
            s.keepSession(admitted.get());
            ChannelLogin.markAuthenticated(s.netty().channel(), user);
            if (s.closed()) {
                s.endSession();
                return;
            }
            lockMaildrop(user);
        });
    }

    private void lockMaildrop(String user) {
        s.async(s.services().lock().tryLock(user, "pop3 " + s.remoteIp()), (Optional<Runnable> lease) -> {
            if (lease.isEmpty()) {
                s.endSession();
                s.reply("-ERR [IN-USE] Mailbox is locked by another POP3 session.");
                s.resume();
                return;
            }
            s.keepLock(lease.get());
            if (s.closed()) {
                s.releaseLock();
                return;
            }
            s.account(user);
            openMaildrop();
        });
    }

    private void openMaildrop() {
        String account = s.account();
        s.services().mailboxes().select(account, "INBOX", false).whenCompleteAsync((FolderSnapshot snap, Throwable err) -> {
            if (err != null) {
                LOG.warn("POP3 cannot open the maildrop of {}: {}", account, err.toString());
                s.releaseLock();
                s.endSession();
                s.account(null);
                if (s.netty().channel().isActive()) {
                    s.reply("-ERR [SYS/TEMP] Cannot open the maildrop, try again later.");
                }
                s.resume();
                return;
            }
            if (!s.netty().channel().isActive()) {
                s.releaseLock();
                return;
            }
            drop.open(snap);
            s.enter(Pop3State.TRANSACTION);
            s.reply("+OK Logged in.");
            s.resume();
        }, s.netty().executor());
    }
}
