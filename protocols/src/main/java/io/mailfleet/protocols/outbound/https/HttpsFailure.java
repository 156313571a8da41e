package io.mailfleet.protocols.outbound.https;

/** An HTTPS exchange that did not produce a response; {@link #kind()} says at which step. */
public final class HttpsFailure extends RuntimeException {

    /** Where the exchange failed. */
    public enum Kind { NO_ADDRESS, CONNECT, CERTIFICATE, TOO_LARGE, TIMEOUT, PROTOCOL }

    private final Kind kind;

    public HttpsFailure(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
