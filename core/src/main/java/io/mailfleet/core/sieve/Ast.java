package io.mailfleet.core.sieve;

import java.util.List;

/** Syntax tree of a Sieve script as parsed, before validation. */
final class Ast {
    private Ast() {
    }

    /** One argument: a tag, a number or a string list (a lone string is a list of one). */
    sealed interface Arg permits Tag, Num, Strs {
        int line();

        int column();
    }

    record Tag(String name, int line, int column) implements Arg {
    }

    record Num(long value, int line, int column) implements Arg {
    }

    /** {@code list} is true when written in brackets. */
    record Strs(List<String> values, boolean list, int line, int column) implements Arg {
    }

    /** A command or a test: name, arguments, test list, and (commands only) a block or null. */
    record Node(String name, List<Arg> args, List<Node> tests, List<Node> block, int line, int column) {
    }
}
