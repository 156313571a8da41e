package io.mailfleet.protocols.outbound;

/**
 * A failure of one session with one host; the client then tries the next host.
 * {@link #status()} is the enhanced status to report when no host is left.
 */
final class OutboundException extends Exception {
    private final String status;

    OutboundException(String status, String message) {
        super(message);
        this.status = status;
    }

    OutboundException(String status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    String status() {
        return status;
    }
}
