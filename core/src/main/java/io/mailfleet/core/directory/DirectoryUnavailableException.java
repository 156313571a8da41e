package io.mailfleet.core.directory;

/**
 * The directory's source could not answer (an LDAP server down, refusing or timing out): the question
 * has no answer yet, so a protocol defers ({@code 451 4.3.0}, {@code NO [UNAVAILABLE]}) instead of
 * telling the client that a user does not exist.
 */
public final class DirectoryUnavailableException extends RuntimeException {

    public DirectoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public DirectoryUnavailableException(String message) {
        super(message);
    }

    /** Whether {@code t} or one of its causes is this exception. */
    public static boolean isCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DirectoryUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
