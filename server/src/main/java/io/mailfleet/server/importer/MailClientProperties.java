package io.mailfleet.server.importer;

import java.util.List;
import java.util.Properties;

/**
 * The Jakarta Mail session properties of every connection Mailfleet makes to a remote mailbox (IMAP
 * import, fetchmail over IMAP or POP3): time-outs, read-only fetches that leave \Seen alone, the TLS
 * mode and the certificate checks.
 */
public final class MailClientProperties {

    /** Connect, read and write time-out of every remote mailbox connection. */
    public static final int TIMEOUT_MILLIS = 60_000;

    private MailClientProperties() {
    }

    /**
     * @param protocol         {@code imap} or {@code pop3} (the {@code s} variant is configured too)
     * @param security         TLS from the first byte, STARTTLS required, or neither
     * @param startTlsIfOffered with {@code NONE}: still upgrade when the server offers STARTTLS/STLS
     * @param trustAny         accept any certificate without checking it or the host name
     */
    public static Properties of(String protocol, ImapSource.Security security, boolean startTlsIfOffered,
                                boolean trustAny) {
        Properties p = new Properties();
        for (String proto : List.of(protocol, protocol + "s")) {
            String k = "mail." + proto + ".";
            p.put(k + "connectiontimeout", Integer.toString(TIMEOUT_MILLIS));
            p.put(k + "timeout", Integer.toString(TIMEOUT_MILLIS));
            p.put(k + "writetimeout", Integer.toString(TIMEOUT_MILLIS));
            if (protocol.equals("imap")) {
                // BODY.PEEK[]: fetching a body must not set \Seen on the remote
                p.put(k + "peek", "true");
                p.put(k + "partialfetch", "false");
            }
            p.put(k + "ssl.checkserveridentity", Boolean.toString(!trustAny));
            if (trustAny) {
                p.put(k + "ssl.trust", "*");
            }
        }
        if (security == ImapSource.Security.STARTTLS) {
            p.put("mail." + protocol + ".starttls.enable", "true");
            p.put("mail." + protocol + ".starttls.required", "true");
        } else if (security == ImapSource.Security.NONE && startTlsIfOffered) {
            p.put("mail." + protocol + ".starttls.enable", "true");
        }
        return p;
    }

    /** The innermost cause's message: what a remote server or the network really said. */
    public static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
