package io.mailfleet.protocols.pop3;

import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.mailbox.MailboxService;
import io.mailfleet.core.service.Authenticator;
import io.mailfleet.core.service.SessionRegistry;
import io.mailfleet.protocols.tls.TlsContextProvider;

import java.util.Objects;

/**
 * What a POP3 listener calls: authentication, the mailbox store, message bytes, the maildrop lock, TLS,
 * the accept guard and the session registry (per-user-and-IP limit, listing and kicking).
 */
public record Pop3Services(Authenticator authenticator, MailboxService mailboxes, BlobStore blobs, Pop3Lock lock,
                           TlsContextProvider tls, io.mailfleet.protocols.netty.AcceptGuard guard,
                           SessionRegistry sessions) {

    /** Services without ban filter or PROXY protocol, with sessions known to this process only. */
    public Pop3Services(Authenticator authenticator, MailboxService mailboxes, BlobStore blobs, Pop3Lock lock,
                        TlsContextProvider tls) {
        this(authenticator, mailboxes, blobs, lock, tls, io.mailfleet.protocols.netty.AcceptGuard.none());
    }

    /** Services with sessions known to this process only (a cluster node passes its registry). */
    public Pop3Services(Authenticator authenticator, MailboxService mailboxes, BlobStore blobs, Pop3Lock lock,
                        TlsContextProvider tls, io.mailfleet.protocols.netty.AcceptGuard guard) {
        this(authenticator, mailboxes, blobs, lock, tls, guard, SessionRegistry.inMemory());
    }

    /** The same services with another session registry. */
    public Pop3Services withSessions(SessionRegistry registry) {
        return new Pop3Services(authenticator, mailboxes, blobs, lock, tls, guard, registry);
    }

    public Pop3Services {
        guard = guard == null ? io.mailfleet.protocols.netty.AcceptGuard.none() : guard;
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(mailboxes, "mailboxes");
        Objects.requireNonNull(blobs, "blobs");
        Objects.requireNonNull(lock, "lock");
        Objects.requireNonNull(tls, "tls");
    }
}
