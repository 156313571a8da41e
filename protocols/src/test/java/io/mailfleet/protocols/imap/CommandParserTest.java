package io.mailfleet.protocols.imap;

import io.mailfleet.core.imap.SearchKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command argument parsers (Args, FETCH items, SEARCH keys): valid forms, and bad input only ever BAD. */
class CommandParserTest {

    private static Args args(Object... parts) {
        List<Object> list = new ArrayList<>();
        for (Object p : parts) {
            list.add(p instanceof byte[] b ? Literal.inMemory(b) : p);
        }
        return new Args(list);
    }

    @Test
    void atomsQuotedStringsLiteralsAndFlags() {
        Args a = args("LOGIN \"us\\\"er\" ", "x".getBytes(StandardCharsets.UTF_8), " (\\Seen $Junk \\deleted)");
        assertEquals("LOGIN", a.atom());
        a.sp();
        assertEquals("us\"er", a.astring());
        a.sp();
        assertEquals("x", a.astring());
        a.sp();
        assertEquals(List.of("\\Seen", "$Junk", "\\Deleted"), a.flagList(false));
        a.end();
        assertThrows(ImapParseException.class, () -> args("(\\Bogus)").flagList(false));
        assertThrows(ImapParseException.class, () -> args("\"unterminated").quoted());
        assertThrows(ImapParseException.class, () -> args("\"bad \\x escape\"").quoted());
        assertThrows(ImapParseException.class, () -> args("12345678901234567890").number());
        assertThrows(ImapParseException.class, () -> args("a b").end());
    }

    @Test
    void fetchItemsIncludingSectionsAndPartials() {
        List<FetchItem> items = FetchItem.parseList(
                args("(UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)] BODY[1.2.MIME]<10.20>)"));
        assertEquals(4, items.size());
        assertTrue(FetchItem.expand(FetchItem.parseList(args("ALL"))).size() >= 4);
        for (String bad : new String[] {"(FLAGS", "BODY[", "BODY[1.0]", "BODY[]<1.x>", "FROB", "(UID))",
                "BODY[HEADER.FIELDS ()]", "BODY[]<00000000000000000001.2>"}) {
            assertThrows(ImapParseException.class, () -> {
                Args a = args(bad);
                FetchItem.parseList(a);
                a.end();
            }, bad);
        }
    }

    @Test
    void searchKeysNestAndBadOnesAreBad() {
        SearchKey k = SearchParser.parse(args("OR (FROM \"a\" SEEN) NOT (1:3 UID 5:*) SINCE 1-Jan-2024"));
        assertInstanceOf(SearchKey.class, k);
        for (String bad : new String[] {"((((SEEN)", "OR SEEN", "SINCE 32-Foo-2024", "LARGER x", "UID 0", "BOGUS",
                "NOT ".repeat(200) + "ALL", "HEADER Subject"}) {
            assertThrows(ImapParseException.class, () -> {
                Args a = args(bad);
                SearchParser.parse(a);
                a.end();
            }, bad);
        }
    }

    @Test
    void randomCommandsNeverThrowAnythingButParseErrors() {
        Random r = new Random(5);
        String alphabet = "()[]<>{}\"\\ *%:,.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$~&-+";
        String[] seeds = {"BODY[", "HEADER.FIELDS (", "OR ", "NOT ", "UID ", "(", "\"", "1:*", "FLAGS", "SINCE "};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = r.nextInt(8); k >= 0; k--) {
                if (r.nextInt(3) == 0) {
                    sb.append(seeds[r.nextInt(seeds.length)]);
                } else {
                    sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
            }
            String text = sb.toString();
            int which = i % 3;
            try {
                Args a = args(text);
                switch (which) {
                    case 0 -> FetchItem.expand(FetchItem.parseList(a));
                    case 1 -> SearchParser.parse(a);
                    default -> {
                        a.astring("*%");
                        a.flagList(true);
                    }
                }
            } catch (ImapParseException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty(), text);
            }
        }
    }
}
