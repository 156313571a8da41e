package io.mailfleet.core.dms;

import io.mailfleet.core.directory.RegexAlias;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DmsFilesTest {

    private static final String H = "{SHA512-CRYPT}$6$2YpW1nYtPBs2yLYS$N.XpTAmYVL5p.VEMSI9un4pEJDP0e649TFY7TjH5v8MCguQ7Z319vFP.R3J5DxlP.J7lCGwN0iC4e1fNU8u8V0";

    @Test
    void linesHandleCrlfAndMissingFinalNewline() {
        assertEquals(List.of("a", "b", "", "c"), DmsLines.split("a\r\nb\r\n\r\nc"));
        assertEquals(List.of("a", "b"), DmsLines.split("\uFEFFa\nb\n"));
        assertEquals(List.of(), DmsLines.split(""));
        assertEquals("x y", DmsLines.content("x y   # comment"));
        assertEquals("a#b", DmsLines.content("a#b"));
    }

    @Test
    void accountsParse() {
        ParseResult<AccountEntry> r = AccountsFile.parse(List.of(
                "# comment",
                "",
                "User1@Example.com|" + H,
                "user2@example.com|{PLAIN}pw|userdb_mail=maildir:/srv/x",
                "  user3@example.com | {SSHA}EkoJW6FX0E2v6tmj3oPENgmVIm1zQWxUMTIzNA== ",
                "nodomain|{PLAIN}x",
                "user4@example.com|",
                "user5@example.com|{ARGON2}xyz",
                "user1@example.com|{PLAIN}dup"));
        assertEquals(List.of(
                new AccountEntry("user1@example.com", H, null),
                new AccountEntry("user2@example.com", "{PLAIN}pw", "userdb_mail=maildir:/srv/x"),
                new AccountEntry("user3@example.com", "{SSHA}EkoJW6FX0E2v6tmj3oPENgmVIm1zQWxUMTIzNA==", null),
                new AccountEntry("user5@example.com", "{ARGON2}xyz", null)), r.entries());
        assertEquals(List.of(6, 7, 8, 9), r.problems().stream().map(ConfigProblem::lineNumber).toList());
        assertTrue(r.problems().get(0).message().contains("'nodomain' is not a valid email address"));
        assertTrue(r.problems().get(1).message().contains("no password hash"));
        assertTrue(r.problems().get(2).message().contains("{ARGON2}"), r.problems().get(2).message());
        assertTrue(r.problems().get(3).message().contains("duplicate account user1@example.com"));
        assertEquals(AccountsFile.NAME, r.problems().get(0).file());
        assertEquals("nodomain|{PLAIN}x", r.problems().get(0).line());
    }

    @Test
    void accountsEditKeepOtherLines() {
        List<String> lines = List.of("# accounts", "auser3@example.com|{PLAIN}a", "user3@example.com|{PLAIN}b|attr=1");
        List<String> added = AccountsFile.add(lines, "New@Example.com", "{PLAIN}n");
        assertEquals("new@example.com|{PLAIN}n", added.get(3));
        assertEquals("'user3@example.com' already exists",
                assertThrows(DmsEditException.class, () -> AccountsFile.add(lines, "user3@example.com", "{PLAIN}x"))
                        .getMessage());
        assertTrue(assertThrows(DmsEditException.class, () -> AccountsFile.add(lines, "user3", "{PLAIN}x"))
                .getMessage().contains("should include the domain"));
        List<String> updated = AccountsFile.updatePassword(lines, "user3@example.com", "{PLAIN}c");
        assertEquals(List.of("# accounts", "auser3@example.com|{PLAIN}a", "user3@example.com|{PLAIN}c|attr=1"), updated);
        assertThrows(DmsEditException.class, () -> AccountsFile.updatePassword(lines, "x@example.com", "{PLAIN}c"));
        assertEquals(List.of("# accounts", "auser3@example.com|{PLAIN}a"), AccountsFile.remove(lines, "user3@example.com"));
        assertEquals(lines, AccountsFile.remove(lines, "user9@example.com"));
        assertThrows(DmsEditException.class, () -> AccountsFile.add(lines, "x@example.com", "a|b"));
    }

    @Test
    void virtualAliasesParse() {
        ParseResult<AliasEntry> r = VirtualAliasFile.parse(List.of(
                "alias1@example.com user1@example.com",
                "alias2@example.com\texternal-account@gmail.com",
                "@example.com user1@example.com            # catch-all",
                "baduser@example.com devnull",
                "list@example.com a@example.com,B@example.com, c@example.org",
                "  d@example.org",
                "noat user1@example.com",
                "lonely@example.com",
                "  # indented comment",
                "bad@example.com a@@b, ok@example.com",
                "alias1@example.com other@example.com",
                "Upper@EXAMPLE.com x@y.z"));
        assertEquals(List.of(
                new AliasEntry("alias1@example.com", List.of("user1@example.com")),
                new AliasEntry("alias2@example.com", List.of("external-account@gmail.com")),
                new AliasEntry("@example.com", List.of("user1@example.com")),
                new AliasEntry("baduser@example.com", List.of("devnull")),
                new AliasEntry("list@example.com", List.of("a@example.com", "b@example.com", "c@example.org",
                        "d@example.org")),
                new AliasEntry("bad@example.com", List.of("ok@example.com")),
                new AliasEntry("upper@example.com", List.of("x@y.z"))), r.entries());
        assertEquals(List.of(7, 8, 10, 11), r.problems().stream().map(ConfigProblem::lineNumber).toList());
        assertTrue(r.problems().get(2).message().contains("invalid target 'a@@b'"));
    }

    @Test
    void virtualAliasEditsLikeSetupAlias() {
        List<String> lines = List.of("# aliases", "alias1@example.com user1@example.com  # keep me",
                "@example.com user1@example.com");
        List<String> a = VirtualAliasFile.addTarget(lines, "alias1@example.com", "user2@example.com");
        assertEquals("alias1@example.com user1@example.com,user2@example.com  # keep me", a.get(1));
        assertEquals(a, VirtualAliasFile.addTarget(a, "ALIAS1@example.com", "user2@example.com"));
        List<String> b = VirtualAliasFile.addTarget(a, "new@example.com", "x@gmail.com");
        assertEquals("new@example.com x@gmail.com", b.get(3));
        List<String> c = VirtualAliasFile.removeTarget(b, "alias1@example.com", "user1@example.com");
        assertEquals("alias1@example.com user2@example.com  # keep me", c.get(1));
        List<String> d = VirtualAliasFile.removeTarget(c, "alias1@example.com", "user2@example.com");
        assertEquals(List.of("# aliases", "@example.com user1@example.com", "new@example.com x@gmail.com"), d);
        assertEquals(List.of("# aliases", "new@example.com x@gmail.com"),
                VirtualAliasFile.removeTargetEverywhere(d, "user1@example.com"));
        assertEquals(List.of("# aliases", "@example.com user1@example.com"), VirtualAliasFile.removeAlias(d, "new@example.com"));
        List<String> cont = List.of("x@example.com a@example.com,", "   b@example.com", "y@example.com c@example.com");
        assertEquals(List.of("y@example.com c@example.com"), VirtualAliasFile.removeAlias(cont, "x@example.com"));
        assertEquals(List.of("x@example.com b@example.com", "y@example.com c@example.com"),
                VirtualAliasFile.removeTarget(cont, "x@example.com", "a@example.com"));
        assertThrows(DmsEditException.class, () -> VirtualAliasFile.addTarget(lines, "alias", "x@y.z"));
        assertThrows(DmsEditException.class, () -> VirtualAliasFile.addTarget(lines, "a@example.com", "not valid"));
    }

    @Test
    void regexpAliasesParse() {
        ParseResult<RegexAlias> r = RegexpAliasFile.parse(List.of(
                "# regexp",
                "/^test[0-9][0-9]*@example.com/ qa@example.com",
                "/^(.*)@old\\.example$/i   ${1}@example.com, Copy@example.com   # trailing",
                "/^unclosed@example.com qa@example.com",
                "/a(b/ x@example.com",
                "/^(x)@y$/ $2@example.com",
                "/^z@y$/U x@example.com",
                "if /x/",
                "!/@example\\.com$/ outside@example.com"));
        assertEquals(List.of(
                new RegexAlias("/^test[0-9][0-9]*@example.com/", List.of("qa@example.com")),
                new RegexAlias("/^(.*)@old\\.example$/i", List.of("${1}@example.com", "copy@example.com")),
                new RegexAlias("!/@example\\.com$/", List.of("outside@example.com"))), r.entries());
        assertEquals(List.of(4, 5, 6, 6, 7, 8), r.problems().stream().map(ConfigProblem::lineNumber).toList());
        assertTrue(r.problems().get(1).message().contains("invalid regexp"));
        assertTrue(r.problems().get(2).message().contains("$2"));
        assertTrue(r.problems().get(4).message().contains("unsupported flag 'U'"));
        assertTrue(r.problems().get(5).message().contains("if/endif"));
        List<String> put = RegexpAliasFile.put(List.of("# x", "/a/ b@c.d"), "/a/", List.of("e@f.g"));
        assertEquals(List.of("# x", "/a/ e@f.g"), put);
        assertEquals(List.of("# x"), RegexpAliasFile.remove(put, "/a/"));
        assertThrows(IllegalArgumentException.class, () -> RegexpAliasFile.put(put, "/a(/", List.of("x@y.z")));
    }

    @Test
    void quotasParseAndEdit() {
        ParseResult<QuotaEntry> r = QuotasFile.parse(List.of(
                "user1@example.com:10M", "user2@example.com:0", "user3@example.com:5X", "user4:1G",
                "user5@example.com 10M", "USER1@example.com:1G"));
        assertEquals(List.of(new QuotaEntry("user1@example.com", 10L << 20), new QuotaEntry("user2@example.com", 0)),
                r.entries());
        assertEquals(List.of(3, 4, 5, 6), r.problems().stream().map(ConfigProblem::lineNumber).toList());
        assertTrue(r.problems().get(0).message().startsWith("Invalid quota format"));
        List<String> lines = List.of("# q", "user1@example.com:10M", "user2@example.com:0");
        assertEquals(List.of("# q", "user1@example.com:2G", "user2@example.com:0"),
                QuotasFile.set(lines, "user1@example.com", "2G"));
        assertEquals(List.of("# q", "user1@example.com:10M", "user2@example.com:0", "user3@example.com:1k"),
                QuotasFile.set(lines, "user3@example.com", "1k"));
        assertTrue(assertThrows(DmsEditException.class, () -> QuotasFile.set(lines, "user1@example.com", "10"))
                .getMessage().startsWith("Invalid quota format"));
        assertEquals(List.of("# q", "user2@example.com:0"), QuotasFile.remove(lines, "user1@example.com"));
        assertEquals(lines, QuotasFile.remove(lines, "nobody@example.com"));
    }

    @Test
    void accessFilesParseAndEdit() {
        ParseResult<String> r = AccessFile.parse(AccessFile.SEND, List.of(
                "user1@example.com \t\t REJECT", "User2@example.com REJECT no thanks", "user3@example.com OK",
                "example.com REJECT", "user4@example.com", "user5@example.com HOLD", "user6@example.com 554 go away"));
        assertEquals(List.of("user1@example.com", "user2@example.com", "user6@example.com"), r.entries());
        assertEquals(List.of(4, 5, 6), r.problems().stream().map(ConfigProblem::lineNumber).toList());
        assertEquals(AccessFile.SEND, r.problems().get(0).file());
        List<String> lines = AccessFile.add(List.of("# deny"), "User7@example.com");
        assertEquals(List.of("# deny", "user7@example.com \t\t REJECT"), lines);
        assertEquals(lines, AccessFile.add(lines, "user7@example.com"));
        assertEquals(List.of("# deny"), AccessFile.remove(lines, "user7@example.com"));
    }

    @Test
    void parseResultsAreImmutable() {
        ParseResult<String> r = AccessFile.parse(AccessFile.RECEIVE, List.of("a@b.c REJECT"));
        assertThrows(UnsupportedOperationException.class, () -> r.entries().add("x"));
        assertSame(r.entries(), r.entries());
    }
}
