package io.mailfleet.core.auth;

/** A stored password uses a scheme Mailfleet does not implement; the message names the scheme. */
public class UnknownSchemeException extends PasswordHashException {
    private final String scheme;

    public UnknownSchemeException(String scheme) {
        super("Unknown password scheme {" + scheme + "} (supported: SHA512-CRYPT, SHA256-CRYPT, BLF-CRYPT, "
                + "MD5-CRYPT, CRYPT, SSHA, SSHA256, SSHA512, SHA, SHA256, SHA512, PLAIN)");
        this.scheme = scheme;
    }

    public String scheme() {
        return scheme;
    }
}
