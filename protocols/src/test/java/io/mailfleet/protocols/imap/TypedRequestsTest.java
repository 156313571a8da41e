package io.mailfleet.protocols.imap;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.mailbox.FlagOperation;
import io.mailfleet.core.mailbox.MailboxException;
import io.mailfleet.protocols.imap.command.MailboxCommands;
import io.mailfleet.protocols.imap.command.MessageCommands;
import io.mailfleet.protocols.imap.command.SearchCommands;
import io.mailfleet.protocols.imap.command.SelectionCommands;
import io.mailfleet.protocols.imap.command.StateCommands;
import io.mailfleet.protocols.imap.command.TransferCommands;
import io.mailfleet.protocols.imap.handler.SessionState;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parsers of the command families: each turns the arguments after the command name into a typed
 * request, reading what the grammar depends on (UTF-8, QRESYNC, the saved search result) from the
 * connection's {@link SessionState}, and refuses bad grammar with {@link ImapParseException}.
 */
class TypedRequestsTest {

    private final SessionState session = new SessionState('/', false);

    private static Args args(Object... parts) {
        List<Object> list = new ArrayList<>();
        for (Object p : parts) {
            list.add(p instanceof byte[] b ? Literal.inMemory(b) : p);
        }
        return new Args(list);
    }

    @Test
    void loginAuthenticateAndEnable() {
        StateCommands.Login login = StateCommands.login(args(" \"us\\\"er\" ", "pw".getBytes(StandardCharsets.UTF_8)),
                session);
        assertEquals(new StateCommands.Login("us\"er", "pw"), login);
        assertEquals(new StateCommands.Authenticate("PLAIN", "AGEAYg=="),
                StateCommands.authenticate(args(" PLAIN AGEAYg=="), session));
        assertNull(StateCommands.authenticate(args(" PLAIN"), session).initialResponse());
        assertEquals(List.of("CONDSTORE", "UTF8=ACCEPT"),
                StateCommands.enable(args(" condstore utf8=accept"), session).capabilities());
        assertThrows(ImapParseException.class, () -> StateCommands.noop(args(" extra"), session));
        assertThrows(ImapParseException.class, () -> StateCommands.id(args(" (\"name\""), session));
    }

    @Test
    void createNamesEveryParentAndChecksSpecialUse() {
        MailboxCommands.Create c = MailboxCommands.create(args(" a/b/c (USE (\\sent))"), session);
        assertEquals(List.of("a", "a/b", "a/b/c"), c.names());
        assertEquals("\\Sent", c.specialUse());
        assertThrows(ImapParseException.class, () -> MailboxCommands.create(args(" a//b"), session));
        assertEquals("ALREADYEXISTS", assertThrows(MailboxException.class,
                () -> MailboxCommands.create(args(" INBOX"), session)).code());
        assertEquals("USEATTR", assertThrows(MailboxException.class,
                () -> MailboxCommands.create(args(" x (USE (\\All))"), session)).code());
    }

    @Test
    void listPatternsAndTheDelimiterQuestion() {
        assertTrue(MailboxCommands.list(args(" \"\" \"\""), session).delimiterOnly());
        MailboxCommands.ListMailboxes l = MailboxCommands.list(
                args(" (SUBSCRIBED) \"\" (\"a/*\" %) RETURN (CHILDREN STATUS (MESSAGES))"), session);
        assertFalse(l.lsub());
        assertEquals(2, l.patterns().size());
        assertTrue(l.options().selectSubscribed && l.options().returnChildren);
        assertEquals(List.of("MESSAGES"), l.options().status);
        assertTrue(l.patterns().get(0).matcher("a/b/c").matches());
        assertThrows(ImapParseException.class, () -> MailboxCommands.status(args(" INBOX (BOGUS)"), session));
    }

    @Test
    void selectParametersDependOnWhatWasEnabled() {
        SelectionCommands.Select s = SelectionCommands.examine(args(" INBOX (CONDSTORE)"), session);
        assertTrue(s.readOnly());
        assertTrue(session.condstore, "SELECT (CONDSTORE) enables CONDSTORE");
        assertThrows(ImapParseException.class,
                () -> SelectionCommands.select(args(" INBOX (QRESYNC (1 2))"), session));
        session.qresync = true;
        SelectionCommands.Select q = SelectionCommands.select(args(" INBOX (QRESYNC (7 42 1:9))"), session);
        assertEquals(new SelectionCommands.Qresync(7, 42, "1:9"), q.qresync());
        assertThrows(ImapParseException.class,
                () -> SelectionCommands.select(args(" INBOX (QRESYNC (0 42))"), session));
    }

    @Test
    void fetchStoreAndExpunge() {
        MessageCommands.Fetch f = MessageCommands.fetch(args(" 1:* FAST"), session, false);
        assertEquals(3, f.items().size());
        assertEquals(-1, f.changedSince());
        assertThrows(ImapParseException.class,
                () -> MessageCommands.fetch(args(" 1:* FLAGS (CHANGEDSINCE 5 VANISHED)"), session, true),
                "VANISHED needs ENABLE QRESYNC");
        session.qresync = true;
        assertTrue(MessageCommands.fetch(args(" 1:* FLAGS (CHANGEDSINCE 5 VANISHED)"), session, true).vanished());

        MessageCommands.Store st = MessageCommands.store(args(" 2 +FLAGS.SILENT (\\Seen $Label1)"), session, true);
        assertEquals(FlagOperation.ADD, st.operation());
        assertTrue(st.silent());
        assertEquals(Set.of("\\Seen", "$Label1"), st.flags());
        assertFalse(session.condstore);
        assertEquals(9, MessageCommands.store(args(" 2 (UNCHANGEDSINCE 9) FLAGS ()"), session, false)
                .unchangedSince());
        assertTrue(session.condstore, "UNCHANGEDSINCE enables CONDSTORE");
        assertThrows(ImapParseException.class, () -> MessageCommands.store(args(" 2 FROB (\\Seen)"), session, false));

        assertEquals(new MessageCommands.Expunge(true, "4:7"), MessageCommands.expunge(args(" 4:7"), session, true));
        assertEquals(new MessageCommands.Expunge(false, null), MessageCommands.expunge(args(""), session, false));
        assertThrows(ImapParseException.class, () -> MessageCommands.expunge(args(" 0:x"), session, true));
    }

    @Test
    void searchForgetsTheSavedResultWhenRefused() {
        session.savedUids = List.of(3L, 5L);
        SearchCommands.Search s = SearchCommands.search(args(" RETURN (MIN SAVE) UNSEEN"), session, false);
        assertTrue(s.returns().save());
        assertEquals(List.of(3L, 5L), session.savedUids, "parsing alone keeps the saved result");
        assertThrows(ImapParseException.class,
                () -> SearchCommands.search(args(" RETURN (SAVE) BOGUS"), session, true));
        assertEquals(List.of(), session.savedUids);
        assertEquals("BADCHARSET (UTF-8 US-ASCII)", assertThrows(MailboxException.class,
                () -> SearchCommands.search(args(" CHARSET KOI8-R ALL"), session, false)).code());
        session.utf8 = true;
        assertThrows(ImapParseException.class,
                () -> SearchCommands.search(args(" CHARSET UTF-8 ALL"), session, false));
        assertThrows(ImapParseException.class,
                () -> SearchCommands.sort(args(" (DATE) US-ASCII ALL"), session, false));
        assertEquals(2, SearchCommands.sort(args(" (REVERSE DATE SUBJECT) UTF-8 ALL"), session, true)
                .criteria().size());
        assertThrows(ImapParseException.class,
                () -> SearchCommands.sort(args(" (DATE REVERSE) UTF-8 ALL"), session, true));
        assertEquals("REFERENCES", SearchCommands.thread(args(" references UTF-8 ALL"), session, true).algorithm());
    }

    @Test
    void appendWantsStoredMessagesAndCopyNamesItsTarget() {
        List<Object> parts = new ArrayList<>();
        parts.add(" Drafts (\\Draft) \" 7-Feb-1994 21:52:25 -0800\" ");
        parts.add(Literal.stored(CompletableFuture.completedFuture((BlobRef) null), 12));
        parts.add(" ");
        parts.add(Literal.stored(CompletableFuture.completedFuture((BlobRef) null), 30));
        TransferCommands.Append a = TransferCommands.append(new Args(parts), session);
        assertEquals("Drafts", a.mailbox());
        assertEquals(2, a.items().size());
        assertEquals(Set.of("\\Draft"), a.items().get(0).flags());
        assertEquals(42, a.items().stream().mapToLong(i -> i.literal().size()).sum());
        assertThrows(ImapParseException.class, () -> TransferCommands.append(args(" INBOX"), session));
        assertThrows(ImapParseException.class, () -> TransferCommands.append(
                args(" INBOX ", "in memory".getBytes(StandardCharsets.UTF_8)), session));
        assertEquals(new TransferCommands.Copy(true, "1:3", "Archive", true),
                TransferCommands.copy(args(" 1:3 Archive"), session, true, true));
    }
}
