package io.mailfleet.protocols.managesieve.handler;

import io.mailfleet.protocols.managesieve.Tokens.Token;

import java.util.List;
import java.util.Optional;

/** The arguments of a command, read in order; a missing or malformed one is an {@link IllegalArgumentException}. */
final class Args {

    private final List<Token> tokens;
    private int next = 1;

    Args(List<Token> tokens) {
        this.tokens = tokens;
    }

    String string(String what) {
        if (next >= tokens.size() || tokens.get(next).atom()) {
            throw new IllegalArgumentException("Expected " + what + " as a string.");
        }
        return tokens.get(next++).value();
    }

    Optional<String> optionalString(String what) {
        return next < tokens.size() ? Optional.of(string(what)) : Optional.empty();
    }

    long number(String what) {
        if (next >= tokens.size() || !tokens.get(next).atom() || !tokens.get(next).value().matches("\\d{1,18}")) {
            throw new IllegalArgumentException("Expected " + what + " as a number.");
        }
        return Long.parseLong(tokens.get(next++).value());
    }

    void end() {
        if (next < tokens.size()) {
            throw new IllegalArgumentException("Too many arguments.");
        }
    }
}
