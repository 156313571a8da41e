package io.mailfleet.core.sieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SieveCompilerTest {

    private static ParseException fails(String script) {
        return assertThrows(ParseException.class, () -> SieveCompiler.compile("t", script));
    }

    @Test
    void parsesCommentsStringsNumbersAndMultiline() throws Exception {
        CompiledScript s = SieveCompiler.compile("t", """
                # hash comment
                require ["fileinto", "vacation"]; /* bracket
                comment */
                if size :over 100K { fileinto "big\\"\\\\x\\y"; }
                vacation :days 3 text:  # trailing comment
                line one
                ..dot-stuffed
                .
                ;
                """);
        assertEquals(Set.of("fileinto", "vacation"), s.extensions());
        Invocation iff = s.commands().get(1);
        assertEquals(100 * 1024, iff.tests().get(0).number(0));
        assertEquals("big\"\\xy", iff.block().get(0).string(0));
        assertEquals("line one\r\n.dot-stuffed\r\n", s.commands().get(2).string(0));
        assertEquals(3, s.commands().get(2).tagNumber(":days"));
    }

    @Test
    void numberQuantifiers() throws Exception {
        CompiledScript s = SieveCompiler.compile("t", "if anyof(size :over 1k, size :under 2M, size :over 1G) {}");
        List<Invocation> tests = s.commands().get(0).tests().get(0).tests();
        assertEquals(1024, tests.get(0).number(0));
        assertEquals(2L << 20, tests.get(1).number(0));
        assertEquals(1L << 30, tests.get(2).number(0));
    }

    @Test
    void syntaxErrorsCarryLineAndColumn() {
        ParseException e = fails("keep;\n\nif true {\n  discard\n}\n");
        assertEquals(5, e.line());
        assertTrue(e.getMessage().contains("';'"), e.getMessage());

        e = fails("keep;\nfileinto \"x;\n");
        assertEquals(2, e.line());
        assertEquals(10, e.column());
        assertTrue(e.getMessage().contains("unterminated string"), e.getMessage());

        e = fails("keep;\n/* never closed\n");
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("unterminated comment"));

        e = fails("if true {\n keep;\n");
        assertTrue(e.getMessage().contains("missing '}'"), e.getMessage());

        e = fails("require \"vacation\";\nvacation text:\nno end\n");
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("multi-line"), e.getMessage());

        e = fails("keep;\n}\n");
        assertEquals(2, e.line());
        assertEquals("line 2: unexpected '}' without matching '{'", e.getMessage());

        e = fails("if size :over 10X { keep; }");
        assertTrue(e.getMessage().contains("suffix"), e.getMessage());
    }

    @Test
    void requireOfEveryExtension() {
        ParseException e = fails("keep;\nfileinto \"Junk\";");
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("extension 'fileinto' not required"), e.getMessage());

        e = fails("require \"fileinto\";\nfileinto :copy \"Junk\";");
        assertTrue(e.getMessage().contains("extension 'copy' not required"), e.getMessage());

        e = fails("if header :regex \"subject\" \"a.*\" { keep; }");
        assertTrue(e.getMessage().contains("extension 'regex' not required"), e.getMessage());

        e = fails("require \"relational\";\nif header :value \"gt\" :comparator \"i;ascii-numeric\" \"x\" \"1\" {}");
        assertTrue(e.getMessage().contains("comparator-i;ascii-numeric"), e.getMessage());

        e = fails("require \"frobnicate\";");
        assertTrue(e.getMessage().contains("unsupported extension 'frobnicate'"));

        e = fails("keep;\nrequire \"fileinto\";");
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("require"));
    }

    @Test
    void unknownCommandsTestsTagsAndBadArguments() {
        assertTrue(fails("frob;").getMessage().contains("unknown command 'frob'"));
        assertTrue(fails("if frob { keep; }").getMessage().contains("unknown test 'frob'"));
        assertTrue(fails("keep :frob;").getMessage().contains("unknown tag :frob"));
        assertTrue(fails("redirect;").getMessage().contains("wrong arguments for 'redirect'"));
        assertTrue(fails("redirect [\"a@b.c\", \"d@e.f\"];").getMessage().contains("expected string"));
        assertTrue(fails("if size 100 { }").getMessage().contains(":over or :under"));
        assertTrue(fails("if header :is :contains \"a\" \"b\" {}").getMessage().contains("cannot be used together"));
        assertTrue(fails("if header :comparator \"i;frob\" \"a\" \"b\" {}").getMessage().contains("unknown comparator"));
        assertTrue(fails("else { keep; }").getMessage().contains("without a preceding"));
        assertTrue(fails("if true keep;").getMessage().contains("needs a block"), fails("if true keep;").getMessage());
        assertTrue(fails("if address \"subject\" \"x\" {}").getMessage().contains("not an address header"));
        assertTrue(fails("require \"envelope\"; if envelope \"cc\" \"x\" {}").getMessage()
                .contains("unknown envelope part"));
        assertTrue(fails("redirect \"not an address\";").getMessage().contains("invalid address"));
        assertTrue(fails("require \"regex\"; if header :regex \"s\" \"(unclosed\" {}").getMessage()
                .contains("invalid regular expression"));
        assertTrue(fails("require [\"relational\"]; if header :count \"lots\" \"s\" \"1\" {}").getMessage()
                .contains("invalid relational operator"));
        assertTrue(fails("if not { keep; }").getMessage().contains("exactly one test"));
        assertTrue(fails("keep { }").getMessage().contains("does not take a block"));
        assertTrue(fails("if header \"a\" { }").getMessage().contains("wrong arguments"));
        assertTrue(fails("stop").getMessage().contains("missing ';'"));
    }

    @Test
    void limits() {
        String big = "#" + "x".repeat(SieveLimits.defaults().maxScriptSize()) + "\nkeep;";
        assertTrue(fails(big).getMessage().contains("too large"));
        String deep = "if true {".repeat(100) + "}".repeat(100);
        assertTrue(fails(deep).getMessage().contains("nested deeper"));
        String deepTests = "if " + "not ".repeat(5000) + "true {}";
        assertTrue(fails(deepTests).getMessage().contains("nested deeper"));
        assertTrue(fails("keep;\0").getMessage().contains("NUL"));
    }

    @Test
    void encodedCharacter() throws Exception {
        CompiledScript s = SieveCompiler.compile("t", """
                require ["encoded-character", "fileinto"];
                fileinto "${hex: 49 4e 42 4f 58}.${unicode:00e9}.${hex:zz}";
                """);
        assertEquals("INBOX.\u00e9.${hex:zz}", s.commands().get(1).string(0));
        CompiledScript plain = SieveCompiler.compile("t", "require \"fileinto\"; fileinto \"${hex:41}\";");
        assertEquals("${hex:41}", plain.commands().get(1).string(0));
        assertTrue(fails("require [\"encoded-character\", \"fileinto\"]; fileinto \"${unicode:D800}\";")
                .getMessage().contains("invalid unicode"));
    }

    @Test
    void garbageNeverCrashes() {
        java.util.Random r = new java.util.Random(42);
        String alphabet = "if{}()[];,:\"#/*\\ \n\ttext:.0123456789KMGabc_";
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(60);
            for (int j = 0; j < n; j++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            try {
                SieveCompiler.compile("fuzz", sb.toString());
            } catch (ParseException e) {
                assertTrue(e.line() >= 1 && e.column() >= 1, e.getMessage());
            }
        }
    }
}
