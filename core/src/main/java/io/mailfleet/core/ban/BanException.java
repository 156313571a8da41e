package io.mailfleet.core.ban;

/**
 * A ban operation refused: {@code code} is stable for programs ({@code invalid-ip},
 * {@code already-banned}, {@code not-banned}, {@code ignored}, {@code too-wide}, {@code disabled}), the message is for people.
 */
public final class BanException extends RuntimeException {

    private final String code;

    public BanException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
