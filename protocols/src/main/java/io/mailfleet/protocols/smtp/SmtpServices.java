package io.mailfleet.protocols.smtp;

import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.mime.HeaderLimits;
import io.mailfleet.core.queue.MailQueue;
import io.mailfleet.core.service.Authenticator;
import io.mailfleet.core.service.DirectoryService;
import io.mailfleet.core.service.SessionRegistry;
import io.mailfleet.protocols.netty.AcceptGuard;
import io.mailfleet.protocols.smtp.check.SmtpChecks;
import io.mailfleet.protocols.smtp.policy.SrsBounces;
import io.mailfleet.protocols.tls.TlsContextProvider;

import java.util.Objects;

/**
 * What an SMTP listener calls: the directory cache, the authenticator, the blob store, the queue,
 * mailbox usage for quota checks, the TLS contexts (TLS off when {@link TlsContextProvider#enabled()} is false),
 * the accept guard (ban filter, PROXY protocol) put in front of every connection, the SRS
 * addresses whose bounces RCPT accepts, the registry that lists authenticated sessions, the
 * header limits DATA and BDAT enforce, and the checks run at connect, MAIL and RCPT (none by default).
 */
public record SmtpServices(DirectoryService directory, Authenticator authenticator, BlobStore blobs,
                           MailQueue queue, MailboxUsage usage, TlsContextProvider tls, AcceptGuard guard,
                           SrsBounces srsBounces, SessionRegistry sessions, HeaderLimits headerLimits,
                           SmtpChecks checks) {

    /** Services without connect, MAIL or RCPT checks beyond the built-in rules. */
    public SmtpServices(DirectoryService directory, Authenticator authenticator, BlobStore blobs,
                        MailQueue queue, MailboxUsage usage, TlsContextProvider tls, AcceptGuard guard,
                        SrsBounces srsBounces, SessionRegistry sessions, HeaderLimits headerLimits) {
        this(directory, authenticator, blobs, queue, usage, tls, guard, srsBounces, sessions, headerLimits,
                SmtpChecks.NONE);
    }

    /** Services whose authenticated sessions are only known to this process. */
    public SmtpServices(DirectoryService directory, Authenticator authenticator, BlobStore blobs,
                        MailQueue queue, MailboxUsage usage, TlsContextProvider tls, AcceptGuard guard,
                        SrsBounces srsBounces) {
        this(directory, authenticator, blobs, queue, usage, tls, guard, srsBounces, SessionRegistry.inMemory(),
                HeaderLimits.DEFAULT);
    }

    /** Services without SRS bounce acceptance. */
    public SmtpServices(DirectoryService directory, Authenticator authenticator, BlobStore blobs,
                        MailQueue queue, MailboxUsage usage, TlsContextProvider tls, AcceptGuard guard) {
        this(directory, authenticator, blobs, queue, usage, tls, guard, SrsBounces.disabled());
    }

    /** Services without ban filter or PROXY protocol. */
    public SmtpServices(DirectoryService directory, Authenticator authenticator, BlobStore blobs,
                        MailQueue queue, MailboxUsage usage, TlsContextProvider tls) {
        this(directory, authenticator, blobs, queue, usage, tls, AcceptGuard.none());
    }

    public SmtpServices {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(blobs, "blobs");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(srsBounces, "srsBounces");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(headerLimits, "headerLimits");
        Objects.requireNonNull(checks, "checks");
    }

    /** The same services accepting bounces to the SRS addresses {@code srs} recognises. */
    public SmtpServices withSrsBounces(SrsBounces srs) {
        return new SmtpServices(directory, authenticator, blobs, queue, usage, tls, guard, srs, sessions, headerLimits,
                checks);
    }

    /** The same services listing authenticated sessions in {@code registry} (and kicked through it). */
    public SmtpServices withSessions(SessionRegistry registry) {
        return new SmtpServices(directory, authenticator, blobs, queue, usage, tls, guard, srsBounces, registry,
                headerLimits, checks);
    }

    /** The same services with other header limits for DATA and BDAT. */
    public SmtpServices withHeaderLimits(HeaderLimits limits) {
        return new SmtpServices(directory, authenticator, blobs, queue, usage, tls, guard, srsBounces, sessions,
                limits, checks);
    }

    /** The same services running {@code stageChecks} after the built-in rules at connect, MAIL and RCPT. */
    public SmtpServices withChecks(SmtpChecks stageChecks) {
        return new SmtpServices(directory, authenticator, blobs, queue, usage, tls, guard, srsBounces, sessions,
                headerLimits, stageChecks);
    }
}
