package io.mailfleet.server.admin;

/** An administrative operation refused: a stable code, a docker-mailserver style message and an HTTP status. */
public final class AdminException extends RuntimeException {

    private final String code;
    private final int httpStatus;

    public AdminException(String code, String message, int httpStatus) {
        super(message);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    static AdminException badRequest(String code, String message) {
        return new AdminException(code, message, 400);
    }

    static AdminException notFound(String message) {
        return new AdminException("not-found", message, 404);
    }

    static AdminException conflict(String code, String message) {
        return new AdminException(code, message, 409);
    }
}
