package io.mailfleet.protocols.pop3.handler;

import io.mailfleet.protocols.auth.LoginAttempts;

import java.util.Locale;

/**
 * The command handlers of one POP3 session and the dispatch of a command line to them, with the
 * state each command needs. Created when the connection becomes active; every call comes from the
 * session on its event loop.
 */
public final class Pop3Commands {

    private final Pop3Context s;
    private final AuthorizationHandler authorization;
    private final SaslHandler sasl;
    private final TransactionHandler transaction;
    private final UpdateHandler update;

    /** @param logins the login-failure policy applied to this connection's USER/PASS and AUTH attempts */
    public Pop3Commands(Pop3Context session, LoginAttempts logins) {
        s = session;
        Maildrop drop = new Maildrop();
        LoginHandler login = new LoginHandler(session, logins, drop);
        authorization = new AuthorizationHandler(session, login);
        sasl = new SaslHandler(session, login);
        transaction = new TransactionHandler(session, drop);
        update = new UpdateHandler(session, drop);
    }

    /** Handles one command line; a refused argument or state is a bad command. */
    public void dispatch(String line) {
        int sp = line.indexOf(' ');
        String name = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        String arg = sp < 0 ? "" : line.substring(sp + 1);
        try {
            execute(name, arg);
        } catch (IllegalArgumentException e) {
            s.bad("-ERR " + e.getMessage());
        }
    }

    private void execute(String name, String arg) {
        switch (name) {
            case "CAPA" -> authorization.capa();
            case "QUIT" -> update.quit();
            case "NOOP" -> inTransaction(name).noop();
            case "STLS" -> inAuthorization(name).stls();
            case "USER" -> inAuthorization(name).user(arg);
            case "PASS" -> inAuthorization(name).pass(arg);
            case "AUTH" -> {
                requireAuthorization(name);
                sasl.auth(arg);
            }
            case "APOP" -> authorization.apop();
            case "STAT" -> inTransaction(name).stat();
            case "LIST" -> inTransaction(name).list(arg);
            case "UIDL" -> inTransaction(name).uidl(arg);
            case "RETR" -> inTransaction(name).retr(arg);
            case "TOP" -> inTransaction(name).top(arg);
            case "DELE" -> inTransaction(name).dele(arg);
            case "RSET" -> inTransaction(name).rset();
            case "" -> s.bad("-ERR Empty command.");
            default -> s.bad("-ERR Unknown command: " + (name.length() > 20 ? name.substring(0, 20) : name));
        }
    }

    private TransactionHandler inTransaction(String name) {
        if (s.state() != Pop3State.TRANSACTION) {
            throw new IllegalArgumentException(name + " is only valid after authentication.");
        }
        return transaction;
    }

    private AuthorizationHandler inAuthorization(String name) {
        requireAuthorization(name);
        return authorization;
    }

    private void requireAuthorization(String name) {
        if (s.state() != Pop3State.AUTHORIZATION) {
            throw new IllegalArgumentException(name + " is only valid before authentication.");
        }
    }
}
