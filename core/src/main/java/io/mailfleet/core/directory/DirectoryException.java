package io.mailfleet.core.directory;

/** A directory change that cannot be applied; {@link #code()} is a stable machine-readable reason. */
public class DirectoryException extends RuntimeException {
    private final String code;

    public DirectoryException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
