package io.mailfleet.protocols.pop3;

import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.mailbox.MailboxService;
import io.mailfleet.core.service.Authenticator;
import io.mailfleet.protocols.tls.TlsContextProvider;

import java.util.Objects;

/** What a POP3 listener calls: authentication, the mailbox store, message bytes, the maildrop lock and TLS. */
public record Pop3Services(Authenticator authenticator, MailboxService mailboxes, BlobStore blobs, Pop3Lock lock,
                           TlsContextProvider tls, io.mailfleet.protocols.netty.AcceptGuard guard) {

    /** Services without ban filter or PROXY protocol. */
    public Pop3Services(Authenticator authenticator, MailboxService mailboxes, BlobStore blobs, Pop3Lock lock,
                        TlsContextProvider tls) {
        this(authenticator, mailboxes, blobs, lock, tls, io.mailfleet.protocols.netty.AcceptGuard.none());
    }

    public Pop3Services {
        guard = guard == null ? io.mailfleet.protocols.netty.AcceptGuard.none() : guard;
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(mailboxes, "mailboxes");
        Objects.requireNonNull(blobs, "blobs");
        Objects.requireNonNull(lock, "lock");
        Objects.requireNonNull(tls, "tls");
    }
}
