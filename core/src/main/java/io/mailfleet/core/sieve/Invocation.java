package io.mailfleet.core.sieve;

import java.util.List;
import java.util.Map;

/**
 * A validated command or test: tags by name (a tag's argument, or the tag itself when it has
 * none), positional arguments, nested tests and block.
 */
record Invocation(String name, Map<String, Ast.Arg> tags, List<Ast.Arg> positional, List<Invocation> tests,
                  List<Invocation> block, int line) {

    boolean has(String tag) {
        return tags.containsKey(tag);
    }

    String tagString(String tag) {
        Ast.Arg a = tags.get(tag);
        return a instanceof Ast.Strs s ? s.values().get(0) : null;
    }

    List<String> tagList(String tag) {
        Ast.Arg a = tags.get(tag);
        return a instanceof Ast.Strs s ? s.values() : null;
    }

    Long tagNumber(String tag) {
        Ast.Arg a = tags.get(tag);
        return a instanceof Ast.Num n ? n.value() : null;
    }

    /** The first present tag among {@code names}, or null. */
    String which(String... names) {
        for (String n : names) {
            if (tags.containsKey(n)) {
                return n;
            }
        }
        return null;
    }

    String string(int i) {
        return ((Ast.Strs) positional.get(i)).values().get(0);
    }

    List<String> list(int i) {
        return ((Ast.Strs) positional.get(i)).values();
    }

    long number(int i) {
        return ((Ast.Num) positional.get(i)).value();
    }
}
