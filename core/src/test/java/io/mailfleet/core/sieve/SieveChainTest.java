package io.mailfleet.core.sieve;

import static io.mailfleet.core.sieve.SieveTesting.SIMPLE;
import static io.mailfleet.core.sieve.SieveTesting.compile;
import static io.mailfleet.core.sieve.SieveTesting.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailfleet.core.sieve.SieveAction.FileInto;
import io.mailfleet.core.sieve.SieveAction.Keep;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docker-mailserver chain: before.dovecot.sieve → user script → after.dovecot.sieve. */
class SieveChainTest {
    private final SieveMessage msg = message("alice@example.org", "bob@example.com", SIMPLE);

    private static SieveResult chain(String before, String user, String after, SieveMessage m) {
        return SieveEngine.run(List.of(compile(before), compile(user), compile(after)), m, SieveTesting.env());
    }

    private static FileInto into(String folder) {
        return new FileInto(folder, Set.of(), false, null, false);
    }

    @Test
    void scriptsRunInOrderWhileTheMessageIsKept() {
        SieveResult r = chain(
                "require [\"editheader\"]; addheader \"X-Before\" \"1\";",
                "require [\"fileinto\", \"copy\"]; if header :is \"X-Before\" \"1\" { fileinto :copy \"SawBefore\"; }",
                "require [\"fileinto\", \"copy\"]; fileinto :copy \"After\";", msg);
        assertEquals(List.of(new SieveAction.AddHeader("X-Before", "1", false), into("SawBefore").withCopy(),
                into("After").withCopy(), new Keep(Set.of())), r.actions());
    }

    @Test
    void stopEndsOnlyItsOwnScript() {
        SieveResult r = chain("stop;", "require \"fileinto\"; fileinto \"User\";", "discard;", msg);
        assertEquals(List.of(into("User")), r.actions(),
                "stop in before: the user script still runs; it filed the message so after does not run");
    }

    @Test
    void cancelledKeepEndsTheChain() {
        SieveResult r = chain("require \"fileinto\"; if header :contains \"subject\" \"urgent\" { fileinto \"Junk\"; }",
                "require \"fileinto\"; fileinto \"User\";", "discard;", msg);
        assertEquals(List.of(into("Junk")), r.actions());
    }

    @Test
    void explicitKeepContinuesAndDuplicatesMerge() {
        SieveResult r = chain("require \"imap4flags\"; keep :flags \"\\\\Seen\";",
                "require [\"fileinto\", \"imap4flags\"]; addflag \"\\\\Flagged\";",
                "require \"fileinto\"; fileinto \"INBOX\"; fileinto \"A\"; fileinto \"A\";", msg);
        assertEquals(List.of(new Keep(Set.of("\\Seen")), into("A")), r.actions());
        SieveResult implicit = chain("require \"imap4flags\"; addflag \"\\\\Seen\";",
                "require \"imap4flags\"; addflag \"\\\\Flagged\";", "", msg);
        assertEquals(List.of(new Keep(Set.of())), implicit.actions(),
                "each script has its own internal flags; implicit keep uses the last script's");
    }

    @Test
    void failingUserScriptKeepsWorkOfEarlierScripts() {
        SieveResult r = chain("require [\"fileinto\", \"copy\"]; fileinto :copy \"Archive\";",
                "require [\"fileinto\", \"variables\"]; set \"a\" \"bad address\"; fileinto \"Lost\"; redirect \"${a}\";", "discard;", msg);
        assertEquals(List.of(into("Archive").withCopy(), new Keep(Set.of())), r.actions());
        assertTrue(r.error().orElseThrow().contains("script test: line 1: redirect: invalid address"),
                r.error().orElseThrow());
    }

    @Test
    void emptyChainKeeps() {
        assertEquals(List.of(new Keep(Set.of())), SieveEngine.run(List.of(), msg, SieveTesting.env()).actions());
    }

    @Test
    void dmsSpamRoutingBeforeScriptFromFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path before = dir.resolve("before.dovecot.sieve");
        Files.copy(SieveChainTest.class.getResourceAsStream("/sieve/spam-to-junk.sieve"), before);
        CompiledScript spam = SieveCompiler.compile("before.dovecot.sieve",
                Files.readString(before, StandardCharsets.UTF_8));
        CompiledScript user = compile("require \"fileinto\"; fileinto \"User\";");
        SieveMessage spammy = message("a@b.cd", "bob@example.com", "X-Spam: Yes\nSubject: buy\n\nx\n");
        SieveResult r = SieveEngine.run(List.of(spam, user), spammy, SieveTesting.env());
        assertEquals(List.of(new FileInto("Junk", Set.of("\\Seen"), false, null, false)), r.actions());
        SieveMessage flagged = message("a@b.cd", "bob@example.com", "X-Spam-Flag: YES\nSubject: buy\n\nx\n");
        assertEquals(List.of(new FileInto("Junk", Set.of("\\Seen"), false, null, false)),
                SieveEngine.run(List.of(spam, user), flagged, SieveTesting.env()).actions());
        assertEquals(List.of(into("User")), SieveEngine.run(List.of(spam, user), msg, SieveTesting.env()).actions());
    }
}
