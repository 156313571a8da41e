package io.mailfleet.core.sieve;

/** A Sieve script that cannot be compiled: syntax or validation error at a 1-based line and column. */
public final class ParseException extends Exception {
    private final int line;
    private final int column;

    public ParseException(int line, int column, String message) {
        super("line " + line + ": " + message);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The message without the line prefix (ManageSieve formats its own). */
    public String reason() {
        String m = getMessage();
        return m.substring(m.indexOf(": ") + 2);
    }
}
