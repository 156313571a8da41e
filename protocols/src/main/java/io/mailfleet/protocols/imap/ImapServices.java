package io.mailfleet.protocols.imap;

import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.mailbox.MailboxService;
import io.mailfleet.core.service.Authenticator;
import io.mailfleet.core.service.DirectoryService;
import io.mailfleet.protocols.tls.TlsContextProvider;

import java.util.Objects;

/** What an IMAP listener calls: authentication, the mailbox store, message bytes, quotas and TLS. */
public record ImapServices(Authenticator authenticator, MailboxService mailboxes, BlobStore blobs,
                           DirectoryService directory, TlsContextProvider tls,
                           io.mailfleet.protocols.netty.AcceptGuard guard) {

    /** Services without ban filter or PROXY protocol. */
    public ImapServices(Authenticator authenticator, MailboxService mailboxes, BlobStore blobs,
                        DirectoryService directory, TlsContextProvider tls) {
        this(authenticator, mailboxes, blobs, directory, tls, io.mailfleet.protocols.netty.AcceptGuard.none());
    }

    public ImapServices {
        guard = guard == null ? io.mailfleet.protocols.netty.AcceptGuard.none() : guard;
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(mailboxes, "mailboxes");
        Objects.requireNonNull(blobs, "blobs");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(tls, "tls");
    }
}
