package io.mailfleet.core.fetchmail;

import java.util.Locale;
import java.util.Objects;

/**
 * One {@code poll} entry of docker-mailserver's {@code fetchmail.cf}: a remote mailbox whose mail is
 * fetched and delivered to one local address.
 *
 * @param name             the source's stable name ({@code user@host}, {@code /folder} appended for a folder)
 * @param port             the remote port (the protocol's default when the entry names none)
 * @param ssl              TLS from the first byte ({@code ssl}); otherwise STARTTLS when the server offers it
 * @param keep             leave fetched mail on the remote ({@code keep}); otherwise delete it once queued here
 * @param fetchAll         also fetch IMAP messages already marked \Seen on the remote ({@code fetchall})
 * @param folder           the remote folder ({@code folder}); INBOX when null
 * @param checkCertificate verify the server's certificate and name ({@code no sslcertck} turns it off)
 * @param idle             IMAP: keep a connection in IDLE (RFC 2177) when the server offers it, so new mail is
 *                         fetched when it arrives rather than at the next poll ({@code no idle} turns it off)
 * @param origin           {@code file:line} of the entry, for messages
 */
public record FetchmailSource(String name, String host, Protocol protocol, int port, String user, String password,
                              String localRecipient, boolean ssl, boolean keep, boolean fetchAll, String folder,
                              boolean checkCertificate, boolean idle, String origin) {

    /** The remote protocols supported. */
    public enum Protocol {
        POP3(110, 995), IMAP(143, 993);

        private final int plainPort;
        private final int sslPort;

        Protocol(int plainPort, int sslPort) {
            this.plainPort = plainPort;
            this.sslPort = sslPort;
        }

        /** The port used when the entry names none. */
        public int defaultPort(boolean ssl) {
            return ssl ? sslPort : plainPort;
        }

        /** {@code pop3} or {@code imap}. */
        public String lowerName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public FetchmailSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(localRecipient, "localRecipient");
    }

    /** The folder polled: {@code folder}, or INBOX. */
    public String folderOrInbox() {
        return folder == null ? "INBOX" : folder;
    }

    @Override
    public String toString() {
        // never the password: this ends up in logs
        return name + " (" + protocol.lowerName() + " " + host + ":" + port + (ssl ? " ssl" : "") + " -> "
                + localRecipient + ")";
    }
}
