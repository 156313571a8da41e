package io.mailfleet.core.dms;

/**
 * A line of a docker-mailserver config file that was skipped or is suspicious.
 *
 * @param file       the file name, e.g. {@code postfix-accounts.cf}
 * @param lineNumber 1-based physical line number, 0 when the problem concerns the whole file
 * @param line       the offending line as read (without line terminator), empty for whole-file problems
 * @param message    what is wrong
 */
public record ConfigProblem(String file, int lineNumber, String line, String message) {

    @Override
    public String toString() {
        return file + (lineNumber > 0 ? ":" + lineNumber : "") + ": " + message
                + (line.isEmpty() ? "" : " [" + line + "]");
    }
}
