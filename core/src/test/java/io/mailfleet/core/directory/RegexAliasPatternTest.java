package io.mailfleet.core.directory;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegexAliasPatternTest {

    @Test
    void matchesAndSubstitutes() {
        RegexAliasPattern p = RegexAliasPattern.compile("/^(\\w+)\\.(\\w+)@example\\.com$/");
        assertEquals(Optional.of(List.of("jane@example.org", "$x", "doe$")),
                p.apply("Jane.Doe@example.com", List.of("$(1)@example.org", "$$x", "${2}$$")).map(
                        l -> List.of(l.get(0).toLowerCase(), l.get(1), l.get(2).toLowerCase())));
        assertEquals(Optional.empty(), p.apply("jane@example.com", List.of("x")));
    }

    @Test
    void otherDelimiterAndEscapedDelimiter() {
        RegexAliasPattern p = RegexAliasPattern.compile("#^a/b\\#c@x$#");
        assertTrue(p.apply("a/b#c@x", List.of("t")).isPresent());
        RegexAliasPattern q = RegexAliasPattern.compile("/^a\\/b@x$/");
        assertTrue(q.apply("a/b@x", List.of("t")).isPresent());
    }

    @Test
    void negationAndAnchorFlag() {
        RegexAliasPattern n = RegexAliasPattern.compile("!/@example\\.com$/");
        assertTrue(n.negated());
        assertTrue(n.apply("a@other.org", List.of("t")).isPresent());
        assertTrue(n.apply("a@example.com", List.of("t")).isEmpty());
        RegexAliasPattern a = RegexAliasPattern.compile("/b@x/A");
        assertTrue(a.apply("b@x", List.of("t")).isPresent());
        assertTrue(a.apply("ab@x", List.of("t")).isEmpty());
    }

    @Test
    void flagsToggle() {
        assertTrue(RegexAliasPattern.compile("/^A@X$/").apply("a@x", List.of("t")).isPresent());
        assertTrue(RegexAliasPattern.compile("/^A@X$/i").apply("a@x", List.of("t")).isEmpty());
        assertTrue(RegexAliasPattern.compile("/^A@X$/ii").apply("a@x", List.of("t")).isPresent());
        assertTrue(RegexAliasPattern.compile("/^ a @ x $/x").apply("a@x", List.of("t")).isPresent());
    }

    @Test
    void bareRegexWithoutDelimiters() {
        assertTrue(RegexAliasPattern.compile("^test[0-9]+@x$").apply("test12@x", List.of("t")).isPresent());
    }

    @Test
    void malformedPatternsNameTheProblem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RegexAliasPattern.compile("/abc"))
                .getMessage().contains("no closing '/'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RegexAliasPattern.compile("/abc/U"))
                .getMessage().contains("unsupported flag 'U'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RegexAliasPattern.compile("/a(b/"))
                .getMessage().contains("invalid regexp '/a(b/'"));
        assertThrows(IllegalArgumentException.class, () -> RegexAliasPattern.compile(" "));
        assertThrows(IllegalArgumentException.class, () -> RegexAliasPattern.compile("!"));
        assertTrue(RegexAliasPattern.cached("/a(b/").isEmpty());
        assertTrue(RegexAliasPattern.cached("/a(b)/").isPresent());
    }

    @Test
    void templateCheck() {
        RegexAliasPattern p = RegexAliasPattern.compile("/^(a)(b)@x$/");
        assertTrue(p.checkTemplate("$1$2@x").isEmpty());
        assertTrue(p.checkTemplate("$$@x").isEmpty());
        assertTrue(p.checkTemplate("$3@x").get().contains("$3"));
        assertTrue(p.checkTemplate("${1@x").isPresent());
        assertTrue(p.checkTemplate("x$").isPresent());
        assertTrue(RegexAliasPattern.compile("!/a/").checkTemplate("$1").isPresent());
    }
}
