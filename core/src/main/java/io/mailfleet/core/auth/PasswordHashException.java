package io.mailfleet.core.auth;

/** A stored password hash cannot be used: malformed, or of an unknown scheme. The message says why. */
public class PasswordHashException extends IllegalArgumentException {
    public PasswordHashException(String message) {
        super(message);
    }

    public PasswordHashException(String message, Throwable cause) {
        super(message, cause);
    }
}
