package io.mailfleet.protocols.imap;

import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.mailbox.MailboxService;
import io.mailfleet.core.mime.HeaderLimits;
import io.mailfleet.core.service.Authenticator;
import io.mailfleet.core.service.DirectoryService;
import io.mailfleet.core.service.HeavyWorkGate;
import io.mailfleet.core.service.SessionRegistry;
import io.mailfleet.protocols.tls.TlsContextProvider;

import java.util.Objects;

/**
 * What an IMAP listener calls: authentication, the mailbox store, message bytes, quotas, TLS, the
 * accept guard, the session registry (per-user-and-IP limit, listing and kicking), the header limits
 * APPEND enforces and the gate bounding heavy commands (content SEARCH, SORT, THREAD).
 */
public record ImapServices(Authenticator authenticator, MailboxService mailboxes, BlobStore blobs,
                           DirectoryService directory, TlsContextProvider tls,
                           io.mailfleet.protocols.netty.AcceptGuard guard, SessionRegistry sessions,
                           HeaderLimits headerLimits, HeavyWorkGate heavyWork) {

    /** Services without ban filter or PROXY protocol, with sessions known to this process only. */
    public ImapServices(Authenticator authenticator, MailboxService mailboxes, BlobStore blobs,
                        DirectoryService directory, TlsContextProvider tls) {
        this(authenticator, mailboxes, blobs, directory, tls, io.mailfleet.protocols.netty.AcceptGuard.none());
    }

    /** Services with sessions known to this process only (a cluster node passes its registry). */
    public ImapServices(Authenticator authenticator, MailboxService mailboxes, BlobStore blobs,
                        DirectoryService directory, TlsContextProvider tls, io.mailfleet.protocols.netty.AcceptGuard guard) {
        this(authenticator, mailboxes, blobs, directory, tls, guard, SessionRegistry.inMemory(), HeaderLimits.DEFAULT,
                new HeavyWorkGate(HeavyWorkGate.DEFAULT_PER_USER, HeavyWorkGate.DEFAULT_PER_NODE));
    }

    /** The same services with another session registry. */
    public ImapServices withSessions(SessionRegistry registry) {
        return new ImapServices(authenticator, mailboxes, blobs, directory, tls, guard, registry, headerLimits,
                heavyWork);
    }

    /** The same services with other header limits for APPEND. */
    public ImapServices withHeaderLimits(HeaderLimits limits) {
        return new ImapServices(authenticator, mailboxes, blobs, directory, tls, guard, sessions, limits, heavyWork);
    }

    /** The same services with another gate for heavy commands (one per node, shared by its listeners). */
    public ImapServices withHeavyWork(HeavyWorkGate gate) {
        return new ImapServices(authenticator, mailboxes, blobs, directory, tls, guard, sessions, headerLimits, gate);
    }

    public ImapServices {
        guard = guard == null ? io.mailfleet.protocols.netty.AcceptGuard.none() : guard;
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(mailboxes, "mailboxes");
        Objects.requireNonNull(blobs, "blobs");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(headerLimits, "headerLimits");
        Objects.requireNonNull(heavyWork, "heavyWork");
    }
}
