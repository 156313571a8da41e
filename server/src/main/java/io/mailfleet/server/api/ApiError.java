package io.mailfleet.server.api;

/** The JSON error body of the management API: {@code {"code": "...", "message": "..."}}. */
public record ApiError(String code, String message) {
}
