package io.mailfleet.protocols.tls;

/** TLS cannot be set up as configured; the message names the setting or file at fault. */
public class TlsConfigurationException extends RuntimeException {
    public TlsConfigurationException(String message) {
        super(message);
    }

    public TlsConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
