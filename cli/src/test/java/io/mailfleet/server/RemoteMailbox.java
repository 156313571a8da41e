package io.mailfleet.server;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * A third-party mail server (GreenMail) on free 127.0.0.1 ports, plain IMAP and optionally POP3, for the
 * tests that fetch or import from a remote account: its accounts, test messages and mailboxes.
 */
public final class RemoteMailbox implements AutoCloseable {

    private final GreenMail greenMail;

    private RemoteMailbox(ServerSetup... setups) {
        greenMail = new GreenMail(setups);
        greenMail.start();
    }

    /** A started server answering IMAP only. */
    public static RemoteMailbox imap() throws IOException {
        return new RemoteMailbox(new ServerSetup(TestServers.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
    }

    /** A started server answering POP3 and IMAP on the same accounts. */
    public static RemoteMailbox pop3AndImap() throws IOException {
        return new RemoteMailbox(
                new ServerSetup(TestServers.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_POP3),
                new ServerSetup(TestServers.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
    }

    /** Creates the account {@code email} that logs in as {@code login} with {@code password}. */
    public GreenMailUser user(String email, String login, String password) {
        return greenMail.setUser(email, login, password);
    }

    public int imapPort() {
        return greenMail.getImap().getPort();
    }

    public int pop3Port() {
        return greenMail.getPop3().getPort();
    }

    /** The server's mailboxes, to create folders and append with flags and dates. */
    public ImapHostManager host() {
        return greenMail.getManagers().getImapHostManager();
    }

    /** The INBOX of {@code user} as the server holds it now. */
    public MailFolder inbox(GreenMailUser user) throws FolderException {
        return host().getInbox(user);
    }

    /** A small text message to {@code to} whose Message-ID and body derive from {@code subject}. */
    public static MimeMessage message(String to, String subject) throws MessagingException {
        return message(null, to, subject);
    }

    /** The same, with a Return-Path field first when {@code returnPath} is not null. */
    public static MimeMessage message(String returnPath, String to, String subject) throws MessagingException {
        String raw = (returnPath == null ? "" : "Return-Path: <" + returnPath + ">\r\n")
                + "From: someone@remote.test\r\nTo: " + to + "\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject.replace(' ', '.') + "@remote.test>\r\n\r\nbody of " + subject + "\r\n";
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
