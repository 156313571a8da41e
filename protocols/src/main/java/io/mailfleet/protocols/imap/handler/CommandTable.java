package io.mailfleet.protocols.imap.handler;

import io.mailfleet.protocols.auth.LoginAttempts;
import io.mailfleet.protocols.imap.Args;
import io.mailfleet.protocols.imap.AuthCache;
import io.mailfleet.protocols.imap.ImapParseException;
import io.mailfleet.protocols.imap.command.CommandParser;
import io.mailfleet.protocols.imap.command.ImapRequest;
import io.mailfleet.protocols.imap.command.MailboxCommands;
import io.mailfleet.protocols.imap.command.MessageCommands;
import io.mailfleet.protocols.imap.command.SearchCommands;
import io.mailfleet.protocols.imap.command.SelectionCommands;
import io.mailfleet.protocols.imap.command.StateCommands;
import io.mailfleet.protocols.imap.command.TransferCommands;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

import static io.mailfleet.protocols.imap.handler.ImapState.AUTHENTICATED;
import static io.mailfleet.protocols.imap.handler.ImapState.NOT_AUTHENTICATED;
import static io.mailfleet.protocols.imap.handler.ImapState.SELECTED;

/**
 * The dispatcher: for every command name the states it is valid in, its parser and its handler. One
 * table per session (the handlers keep the session's context).
 */
public final class CommandTable {

    private static final ImapState[] ANY = {};
    private static final ImapState[] LOGGED_IN = {AUTHENTICATED, SELECTED};
    private static final ImapState[] SELECTED_ONLY = {SELECTED};

    /**
     * One command: the states it is valid in (none: every state), checked before parsing unless
     * {@code stateAfterParse} (a command whose grammar error is reported first).
     */
    private record Entry<R extends ImapRequest>(ImapState[] states, boolean stateAfterParse, CommandParser<R> parser,
                                                BiConsumer<String, R> handler) {
    }

    private final SessionState session;
    private final Map<String, Entry<?>> commands = new HashMap<>();
    private final Map<String, Entry<?>> uidCommands = new HashMap<>();

    public CommandTable(ImapContext ctx, AuthCache authCache, LoginAttempts logins) {
        this.session = ctx.session();
        ConnectionHandler connection = new ConnectionHandler(ctx);
        LoginHandler login = new LoginHandler(ctx, authCache, logins);
        MailboxHandler mailboxes = new MailboxHandler(ctx);
        QuotaHandler quota = new QuotaHandler(ctx);
        SelectionHandler selection = new SelectionHandler(ctx);
        FetchHandler fetch = new FetchHandler(ctx);
        StoreHandler store = new StoreHandler(ctx);
        SearchHandler search = new SearchHandler(ctx);
        TransferHandler transfer = new TransferHandler(ctx, quota);
        IdleHandler idle = new IdleHandler(ctx);

        add("CAPABILITY", ANY, false, StateCommands::capability, connection::capability);
        add("NOOP", ANY, false, StateCommands::noop, connection::noop);
        add("CHECK", SELECTED_ONLY, true, StateCommands::check, connection::noop);
        add("LOGOUT", ANY, false, StateCommands::logout, connection::logout);
        add("ID", ANY, false, StateCommands::id, connection::id);
        add("STARTTLS", new ImapState[] {NOT_AUTHENTICATED}, true, StateCommands::startTls, connection::startTls);
        add("LOGIN", new ImapState[] {NOT_AUTHENTICATED}, false, StateCommands::login, login::login);
        add("AUTHENTICATE", new ImapState[] {NOT_AUTHENTICATED}, false, StateCommands::authenticate,
                login::authenticate);
        add("ENABLE", LOGGED_IN, false, StateCommands::enable, connection::enable);
        add("COMPRESS", LOGGED_IN, false, StateCommands::compress, connection::compress);
        add("IDLE", LOGGED_IN, false, StateCommands::idle, idle::idle);

        add("SELECT", LOGGED_IN, false, SelectionCommands::select, selection::select);
        add("EXAMINE", LOGGED_IN, false, SelectionCommands::examine, selection::select);
        add("CLOSE", SELECTED_ONLY, false, SelectionCommands::close, selection::close);
        add("UNSELECT", SELECTED_ONLY, false, SelectionCommands::unselect, selection::close);

        add("CREATE", LOGGED_IN, false, MailboxCommands::create, mailboxes::create);
        add("DELETE", LOGGED_IN, false, MailboxCommands::delete, mailboxes::delete);
        add("RENAME", LOGGED_IN, false, MailboxCommands::rename, mailboxes::rename);
        add("SUBSCRIBE", LOGGED_IN, false, MailboxCommands::subscribe, mailboxes::subscribe);
        add("UNSUBSCRIBE", LOGGED_IN, false, MailboxCommands::unsubscribe, mailboxes::subscribe);
        add("LIST", LOGGED_IN, false, MailboxCommands::list, mailboxes::list);
        add("LSUB", LOGGED_IN, false, MailboxCommands::lsub, mailboxes::list);
        add("STATUS", LOGGED_IN, false, MailboxCommands::status, mailboxes::status);
        add("NAMESPACE", LOGGED_IN, false, MailboxCommands::namespace, mailboxes::namespace);
        add("GETQUOTAROOT", LOGGED_IN, false, MailboxCommands::getQuotaRoot, quota::getQuota);
        add("GETQUOTA", LOGGED_IN, false, MailboxCommands::getQuota, quota::getQuota);
        add("SETQUOTA", LOGGED_IN, false, MailboxCommands::setQuota, quota::setQuota);

        add("APPEND", LOGGED_IN, false, TransferCommands::append, transfer::append);
        for (boolean uid : new boolean[] {false, true}) {
            Map<String, Entry<?>> table = uid ? uidCommands : commands;
            table.put("FETCH", new Entry<>(SELECTED_ONLY, false,
                    (a, c) -> MessageCommands.fetch(a, c, uid), fetch::fetch));
            table.put("STORE", new Entry<>(SELECTED_ONLY, false,
                    (a, c) -> MessageCommands.store(a, c, uid), store::store));
            table.put("EXPUNGE", new Entry<>(SELECTED_ONLY, false,
                    (a, c) -> MessageCommands.expunge(a, c, uid), store::expunge));
            table.put("SEARCH", new Entry<>(SELECTED_ONLY, false,
                    (a, c) -> SearchCommands.search(a, c, uid), search::search));
            table.put("SORT", new Entry<>(SELECTED_ONLY, false,
                    (a, c) -> SearchCommands.sort(a, c, uid), search::sort));
            table.put("THREAD", new Entry<>(SELECTED_ONLY, false,
                    (a, c) -> SearchCommands.thread(a, c, uid), search::thread));
            table.put("COPY", new Entry<>(SELECTED_ONLY, false,
                    (a, c) -> TransferCommands.copy(a, c, uid, false), transfer::copy));
            table.put("MOVE", new Entry<>(SELECTED_ONLY, false,
                    (a, c) -> TransferCommands.copy(a, c, uid, true), transfer::copy));
        }
    }

    private <R extends ImapRequest> void add(String name, ImapState[] states, boolean stateAfterParse,
                                             CommandParser<R> parser, BiConsumer<String, R> handler) {
        commands.put(name, new Entry<>(states, stateAfterParse, parser, handler));
    }

    /** True when {@code name} (upper case) is a command this server knows. */
    public boolean knows(String name) {
        return name.equals("UID") || commands.containsKey(name);
    }

    /**
     * Parses and runs the command {@code name} (upper case, known); its arguments follow in {@code a}.
     *
     * @throws ImapParseException on a grammar error or a command not valid in this state (BAD)
     * @throws io.mailfleet.core.mailbox.MailboxException when refused before it started (NO)
     */
    public void execute(String tag, String name, Args a) {
        if (name.equals("UID")) {
            session.requireState(SELECTED);
            a.sp();
            String sub = a.atom().toUpperCase(Locale.ROOT);
            Entry<?> e = uidCommands.get(sub);
            if (e == null) {
                throw new ImapParseException("unknown UID command " + sub);
            }
            run(tag, e, a);
            return;
        }
        run(tag, commands.get(name), a);
    }

    private void requireState(Entry<?> e) {
        if (e.states().length > 0) {
            session.requireState(e.states());
        }
    }

    private <R extends ImapRequest> void run(String tag, Entry<R> e, Args a) {
        if (!e.stateAfterParse()) {
            requireState(e);
        }
        R request = e.parser().parse(a, session);
        if (e.stateAfterParse()) {
            requireState(e);
        }
        e.handler().accept(tag, request);
    }
}
