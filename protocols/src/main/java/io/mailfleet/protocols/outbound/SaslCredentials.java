package io.mailfleet.protocols.outbound;

/** A relay login; only ever sent over TLS. {@link #toString()} hides the password. */
public record SaslCredentials(String username, String password) {
    public SaslCredentials {
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException("relay user name is empty");
        }
        if (password == null) {
            throw new IllegalArgumentException("relay password for " + username + " is missing");
        }
    }

    @Override
    public String toString() {
        return "SaslCredentials[" + username + ", password hidden]";
    }
}
