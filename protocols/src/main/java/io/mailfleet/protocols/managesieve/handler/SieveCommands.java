package io.mailfleet.protocols.managesieve.handler;

import io.mailfleet.protocols.auth.LoginAttempts;
import io.mailfleet.protocols.managesieve.Tokens;
import io.mailfleet.protocols.managesieve.Tokens.Token;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The command handlers of one ManageSieve session and the dispatch of a command's words to them, with
 * the state each command needs. Created when the connection becomes active; every call comes from the
 * session on its event loop.
 */
public final class SieveCommands {

    private static final Set<String> AUTHENTICATED = Set.of("HAVESPACE", "PUTSCRIPT", "LISTSCRIPTS", "SETACTIVE",
            "GETSCRIPT", "DELETESCRIPT", "RENAMESCRIPT", "CHECKSCRIPT", "UNAUTHENTICATE");

    private final SieveContext s;
    private final Capabilities capabilities;
    private final ConnectionHandler connection;
    private final AuthenticateHandler authenticate;
    private final ScriptUploadHandler upload;
    private final ScriptHandler scripts;

    /** @param logins the login-failure policy applied to this connection's AUTHENTICATE attempts */
    public SieveCommands(SieveContext session, LoginAttempts logins) {
        s = session;
        capabilities = new Capabilities(session);
        connection = new ConnectionHandler(session, capabilities);
        authenticate = new AuthenticateHandler(session, logins);
        upload = new ScriptUploadHandler(session);
        scripts = new ScriptHandler(session);
    }

    /** The greeting: the capabilities and OK. */
    public void greet() {
        s.reply(capabilities.lines() + "OK \"Mailfleet ManageSieve ready.\"");
    }

    /** Handles one command; a refused argument or state is a bad command. */
    public void dispatch(List<Token> tokens) {
        if (tokens.isEmpty() || !tokens.get(0).atom()) {
            s.bad("Expected a command.");
            return;
        }
        String name = tokens.get(0).value().toUpperCase(Locale.ROOT);
        Args a = new Args(tokens);
        try {
            execute(name, a);
        } catch (IllegalArgumentException e) {
            s.bad("NO " + Tokens.string("Error in " + (name.length() > 20 ? name.substring(0, 20) : name) + ": "
                    + e.getMessage()));
        }
    }

    private void execute(String name, Args a) {
        boolean authenticated = s.account() != null;
        switch (name) {
            case "CAPABILITY" -> {
                a.end();
                connection.capability();
            }
            case "LOGOUT" -> {
                a.end();
                connection.logout();
            }
            case "NOOP" -> connection.noop(a);
            case "STARTTLS" -> {
                a.end();
                requireState(!authenticated, name);
                connection.startTls();
            }
            case "AUTHENTICATE" -> {
                requireState(!authenticated, name);
                authenticate.authenticate(a);
            }
            default -> {
                if (!AUTHENTICATED.contains(name)) {
                    s.bad("Unknown command " + Tokens.string(name.length() > 20 ? name.substring(0, 20) : name) + ".");
                    return;
                }
                requireState(authenticated, name);
                scriptCommand(name, a);
            }
        }
    }

    private void scriptCommand(String name, Args a) {
        switch (name) {
            case "UNAUTHENTICATE" -> authenticate.unauthenticate(a);
            case "LISTSCRIPTS" -> scripts.listScripts(a);
            case "HAVESPACE" -> upload.haveSpace(a);
            case "PUTSCRIPT" -> upload.putScript(a);
            case "CHECKSCRIPT" -> upload.checkScript(a);
            case "SETACTIVE" -> scripts.setActive(a);
            case "GETSCRIPT" -> scripts.getScript(a);
            case "DELETESCRIPT" -> scripts.deleteScript(a);
            case "RENAMESCRIPT" -> scripts.renameScript(a);
            default -> throw new IllegalStateException("unhandled script command " + name);
        }
    }

    private static void requireState(boolean ok, String name) {
        if (!ok) {
            throw new IllegalArgumentException(name + " is not allowed in this state.");
        }
    }
}
