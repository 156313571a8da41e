package io.mailfleet.core.sieve;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The table of known commands and tests: tags, the extension each needs, positional arguments. */
final class Specs {
    private Specs() {
    }

    enum T { STR, LIST, NUM }

    record TagSpec(String name, T arg, String ext, String group) {
    }

    record Spec(String name, boolean test, String ext, Map<String, TagSpec> tags, List<List<T>> positionals,
                int minTests, int maxTests, boolean block, String requiredGroup) {
    }

    /** Every extension this implementation supports (the ManageSieve SIEVE capability). */
    static final Set<String> EXTENSIONS = Set.of("fileinto", "reject", "ereject", "envelope", "encoded-character",
            "subaddress", "copy", "imap4flags", "vacation", "vacation-seconds", "variables", "mailbox", "body",
            "relational", "regex", "date", "index", "editheader", "include", "duplicate", "special-use",
            "comparator-i;ascii-numeric");

    static final Map<String, Spec> COMMANDS = new HashMap<>();
    static final Map<String, Spec> TESTS = new HashMap<>();

    private static final List<TagSpec> COMPARATOR = List.of(new TagSpec(":comparator", T.STR, null, "comparator"));
    private static final List<TagSpec> MATCH = List.of(
            new TagSpec(":is", null, null, "match"), new TagSpec(":contains", null, null, "match"),
            new TagSpec(":matches", null, null, "match"), new TagSpec(":regex", null, "regex", "match"),
            new TagSpec(":count", T.STR, "relational", "match"), new TagSpec(":value", T.STR, "relational", "match"));
    private static final List<TagSpec> ADDRESS_PART = List.of(
            new TagSpec(":all", null, null, "address-part"), new TagSpec(":localpart", null, null, "address-part"),
            new TagSpec(":domain", null, null, "address-part"), new TagSpec(":user", null, "subaddress", "address-part"),
            new TagSpec(":detail", null, "subaddress", "address-part"));
    private static final List<TagSpec> INDEX = List.of(new TagSpec(":index", T.NUM, "index", null),
            new TagSpec(":last", null, "index", null));

    static {
        cmd("require", null, tags(), pos(T.LIST));
        put(new Spec("if", false, null, Map.of(), List.of(List.of()), 1, 1, true, null));
        put(new Spec("elsif", false, null, Map.of(), List.of(List.of()), 1, 1, true, null));
        put(new Spec("else", false, null, Map.of(), List.of(List.of()), 0, 0, true, null));
        cmd("stop", null, tags(), pos());
        cmd("keep", null, tags(List.of(t(":flags", T.LIST, "imap4flags"))), pos());
        cmd("discard", null, tags(), pos());
        cmd("fileinto", "fileinto", tags(List.of(t(":copy", null, "copy"), t(":flags", T.LIST, "imap4flags"),
                t(":create", null, "mailbox"), t(":specialuse", T.STR, "special-use"))), pos(T.STR));
        cmd("redirect", null, tags(List.of(t(":copy", null, "copy"))), pos(T.STR));
        cmd("reject", "reject", tags(), pos(T.STR));
        cmd("ereject", "ereject", tags(), pos(T.STR));
        cmd("vacation", "vacation", tags(List.of(new TagSpec(":days", T.NUM, null, "period"),
                new TagSpec(":seconds", T.NUM, "vacation-seconds", "period"), t(":subject", T.STR, null),
                t(":from", T.STR, null), t(":addresses", T.LIST, null), t(":mime", null, null),
                t(":handle", T.STR, null))), pos(T.STR));
        cmd("set", "variables", tags(List.of(new TagSpec(":lower", null, null, "case"),
                new TagSpec(":upper", null, null, "case"), new TagSpec(":lowerfirst", null, null, "casefirst"),
                new TagSpec(":upperfirst", null, null, "casefirst"), new TagSpec(":quotewildcard", null, null, "quote"),
                new TagSpec(":quoteregex", null, "regex", "quote"), t(":length", null, null))), pos(T.STR, T.STR));
        for (String f : List.of("setflag", "addflag", "removeflag")) {
            put(new Spec(f, false, "imap4flags", Map.of(), List.of(List.of(T.LIST), List.of(T.STR, T.LIST)), 0, 0,
                    false, null));
        }
        cmd("addheader", "editheader", tags(List.of(t(":last", null, null))), pos(T.STR, T.STR));
        put(new Spec("deleteheader", false, "editheader", tags(List.of(new TagSpec(":index", T.NUM, null, null),
                new TagSpec(":last", null, null, null)), COMPARATOR, MATCH),
                List.of(List.of(T.STR), List.of(T.STR, T.LIST)), 0, 0, false, null));
        cmd("include", "include", tags(List.of(new TagSpec(":personal", null, null, "location"),
                new TagSpec(":global", null, null, "location"), t(":once", null, null), t(":optional", null, null))),
                pos(T.STR));
        cmd("return", "include", tags(), pos());
        cmd("global", "include", tags(), pos(T.LIST));

        test("address", null, tags(COMPARATOR, ADDRESS_PART, MATCH, INDEX), pos(T.LIST, T.LIST));
        test("envelope", "envelope", tags(COMPARATOR, ADDRESS_PART, MATCH), pos(T.LIST, T.LIST));
        test("header", null, tags(COMPARATOR, MATCH, INDEX), pos(T.LIST, T.LIST));
        test("exists", null, tags(), pos(T.LIST));
        put(new Spec("size", true, null, tags(List.of(new TagSpec(":over", null, null, "size"),
                new TagSpec(":under", null, null, "size"))), List.of(List.of(T.NUM)), 0, 0, false, "size"));
        put(new Spec("allof", true, null, Map.of(), List.of(List.of()), 1, Integer.MAX_VALUE, false, null));
        put(new Spec("anyof", true, null, Map.of(), List.of(List.of()), 1, Integer.MAX_VALUE, false, null));
        put(new Spec("not", true, null, Map.of(), List.of(List.of()), 1, 1, false, null));
        test("true", null, tags(), pos());
        test("false", null, tags(), pos());
        test("body", "body", tags(COMPARATOR, MATCH, List.of(new TagSpec(":raw", null, null, "transform"),
                new TagSpec(":content", T.LIST, null, "transform"), new TagSpec(":text", null, null, "transform"))),
                pos(T.LIST));
        test("date", "date", tags(COMPARATOR, MATCH, INDEX, List.of(new TagSpec(":zone", T.STR, null, "zone"),
                new TagSpec(":originalzone", null, null, "zone"))), pos(T.STR, T.STR, T.LIST));
        test("currentdate", "date", tags(COMPARATOR, MATCH, List.of(new TagSpec(":zone", T.STR, null, "zone"))),
                pos(T.STR, T.LIST));
        test("string", "variables", tags(COMPARATOR, MATCH), pos(T.LIST, T.LIST));
        put(new Spec("hasflag", true, "imap4flags", tags(COMPARATOR, MATCH),
                List.of(List.of(T.LIST), List.of(T.LIST, T.LIST)), 0, 0, false, null));
        test("mailboxexists", "mailbox", tags(), pos(T.LIST));
        test("duplicate", "duplicate", tags(List.of(t(":handle", T.STR, null),
                new TagSpec(":header", T.STR, null, "id"), new TagSpec(":uniqueid", T.STR, null, "id"),
                t(":seconds", T.NUM, null), t(":last", null, null))), pos());
    }

    private static TagSpec t(String name, T arg, String ext) {
        return new TagSpec(name, arg, ext, null);
    }

    @SafeVarargs
    private static Map<String, TagSpec> tags(List<TagSpec>... groups) {
        Map<String, TagSpec> m = new LinkedHashMap<>();
        for (List<TagSpec> g : groups) {
            for (TagSpec t : g) {
                m.put(t.name(), t);
            }
        }
        return m;
    }

    private static List<List<T>> pos(T... types) {
        List<List<T>> l = new ArrayList<>();
        l.add(List.of(types));
        return l;
    }

    private static void cmd(String name, String ext, Map<String, TagSpec> tags, List<List<T>> pos) {
        put(new Spec(name, false, ext, tags, pos, 0, 0, false, null));
    }

    private static void test(String name, String ext, Map<String, TagSpec> tags, List<List<T>> pos) {
        put(new Spec(name, true, ext, tags, pos, 0, 0, false, null));
    }

    private static void put(Spec s) {
        (s.test() ? TESTS : COMMANDS).put(s.name(), s);
    }
}
