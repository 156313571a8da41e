package io.mailfleet.core.address;

/** An address that cannot be used; the message names what is wrong with it. */
public class InvalidAddressException extends IllegalArgumentException {
    public InvalidAddressException(String message) {
        super(message);
    }
}
