package io.mailfleet.server.importer;

import java.util.Locale;
import java.util.Objects;

/**
 * A live IMAP account to copy mail from.
 *
 * @param security     how the connection is protected
 * @param trustAnyCertificate accept the server's certificate without verifying it (a self-signed old
 *                     server on the operator's own network); host name checks stay on otherwise
 */
public record ImapSource(String host, int port, Security security, String user, String password,
                         boolean trustAnyCertificate) {

    /** TLS from the first byte (993), STARTTLS required (143), or plain text (only for loopback tests). */
    public enum Security {
        SSL, STARTTLS, NONE;

        /** Parses {@code ssl}, {@code starttls} or {@code none}. */
        public static Security parse(String s) {
            try {
                return valueOf(s.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("security must be ssl, starttls or none, got '" + s + "'");
            }
        }

        /** The port a client uses when none is given. */
        public int defaultPort() {
            return this == SSL ? 993 : 143;
        }
    }

    public ImapSource {
        Objects.requireNonNull(security, "security");
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("the IMAP host is required");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the IMAP port must be 1..65535, got " + port);
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("the IMAP user is required");
        }
        if (password == null) {
            throw new IllegalArgumentException("the IMAP password is required");
        }
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port + " (" + security.name().toLowerCase(Locale.ROOT) + ")";
    }
}
