package io.mailfleet.server.imap;

import io.mailfleet.protocols.imap.ImapServer;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The command dispatcher on a raw socket: which state each command is valid in, whether the state or
 * the grammar is judged first, unknown commands and UID sub-commands, and commands refused before
 * they reach the mailbox, each with its exact reply.
 */
class ImapDispatchTest {

    @TempDir
    static Path data;
    static ImapTestNode node;
    static ImapServer imap;

    @BeforeAll
    static void start() throws Exception {
        node = ImapTestNode.start(data);
        imap = node.listen(ImapTestNode.settings().withUtf8Accept(true));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String tagged(Wire c, String tag, String command) throws Exception {
        return Wire.last(c.command(tag, command));
    }

    @Test
    void beforeLoginTheStateIsJudgedFirstExceptForCheckAndStarttls() throws Exception {
        try (Wire c = Wire.imap(imap.port())) {
            assertEquals("a BAD Error in IMAP command SELECT: Command not valid in this state (not authenticated)",
                    tagged(c, "a", "SELECT INBOX"));
            assertEquals("b BAD Error in IMAP command SELECT: Command not valid in this state (not authenticated)",
                    tagged(c, "b", "SELECT"));
            assertEquals("c BAD Error in IMAP command CHECK: unexpected extra arguments", tagged(c, "c", "CHECK now"));
            assertEquals("d BAD Error in IMAP command CHECK: Command not valid in this state (not authenticated)",
                    tagged(c, "d", "CHECK"));
            assertEquals("e BAD Error in IMAP command FROB: Unknown command.", tagged(c, "e", "frob 1 2"));
            assertEquals("f BAD Error in IMAP command LOGIN: expected ' ' but the command ended", tagged(c, "f", "LOGIN"));
            assertEquals("g BAD Error in IMAP command UID: Command not valid in this state (not authenticated)",
                    tagged(c, "g", "UID FETCH 1 FLAGS"));
            assertEquals("h OK NOOP completed.", tagged(c, "h", "noop"));
        }
    }

    @Test
    void afterLoginAndInTheSelectedState() throws Exception {
        try (Wire c = ImapExtensionsTest.login(imap)) {
            assertEquals("a BAD Error in IMAP command LOGIN: Command not valid in this state (authenticated)",
                    tagged(c, "a", "LOGIN user@example.com secret"));
            assertEquals("b BAD Error in IMAP command STARTTLS: unexpected extra arguments",
                    tagged(c, "b", "STARTTLS now"));
            assertEquals("c BAD Error in IMAP command STARTTLS: Command not valid in this state (authenticated)",
                    tagged(c, "c", "STARTTLS"));
            assertEquals("d BAD Error in IMAP command UID: Command not valid in this state (authenticated)",
                    tagged(c, "d", "UID FETCH 1 FLAGS"));
            assertEquals("e BAD Error in IMAP command CLOSE: Command not valid in this state (authenticated)",
                    tagged(c, "e", "CLOSE"));
            assertEquals("f NO [NOPERM] Quota is set by the administrator.", tagged(c, "f", "SETQUOTA whatever (at all"));
            assertEquals("g NO [ALREADYEXISTS] Mailbox already exists", tagged(c, "g", "CREATE inbox"));
            assertEquals("h NO [NONEXISTENT] Quota root doesn't exist.", tagged(c, "h", "GETQUOTA \"x\""));

            ImapExtensionsTest.ok(c.command("s", "SELECT INBOX"));
            assertEquals("i BAD Error in IMAP command UID: unknown UID command FROB", tagged(c, "i", "UID frob 1"));
            assertEquals("j BAD Error in IMAP command FETCH: Invalid messageset (message sequence number out of range)",
                    tagged(c, "j", "FETCH 5 FLAGS"));
            assertEquals("k BAD Error in IMAP command UID: unknown FETCH modifier FROB",
                    tagged(c, "k", "UID FETCH 1:* FLAGS (FROB)"));
            assertEquals("l BAD Error in IMAP command ENABLE: ENABLE UTF8=ACCEPT is only valid before a mailbox is"
                    + " selected", tagged(c, "l", "ENABLE UTF8=ACCEPT"));
            assertEquals("m OK Check completed.", tagged(c, "m", "CHECK"));
            assertEquals("n OK Unselect completed.", tagged(c, "n", "UNSELECT"));
            assertEquals("o BAD Error in IMAP command UNSELECT: Command not valid in this state (authenticated)",
                    tagged(c, "o", "UNSELECT"));
            List<String> bye = c.command("p", "LOGOUT");
            assertEquals(List.of("* BYE Logging out", "p OK Logout completed."), bye);
        }
    }
}
