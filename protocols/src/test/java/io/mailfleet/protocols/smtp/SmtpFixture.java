package io.mailfleet.protocols.smtp;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.persistence.blob.FileBlobStore;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.tls.SslType;
import io.mailfleet.protocols.tls.TlsContextProvider;
import io.mailfleet.protocols.tls.TlsLevel;
import io.mailfleet.protocols.tls.TlsSettings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Real blob store, self-signed TLS, fixed directory and a recording queue; servers on port 0. */
final class SmtpFixture implements AutoCloseable {

    static final String HOST = "mail.example.com";

    final FileBlobStore blobs;
    final TestCollaborators.RecordingQueue queue = new TestCollaborators.RecordingQueue();
    final io.mailfleet.core.service.SessionRegistry sessions = io.mailfleet.core.service.SessionRegistry.inMemory();
    final TlsContextProvider tls;
    private final List<SmtpServer> servers = new ArrayList<>();

    SmtpFixture(Path dir, boolean withTls) throws IOException {
        blobs = new FileBlobStore(dir.resolve("blobs"));
        tls = TlsContextProvider.start(withTls
                ? new TlsSettings(SslType.SELF_SIGNED, null, null, null, null, null, List.of(), HOST, dir,
                TlsLevel.MODERN, Duration.ofSeconds(5))
                : TlsSettings.none());
    }

    static SmtpSettings settings(SmtpMode mode) {
        return new SmtpSettings("127.0.0.1", 0, mode, HOST, SmtpSettings.DEFAULT_MESSAGE_SIZE, 1000, 20,
                Duration.ofSeconds(300), false, BareNewlinePolicy.REJECT, false, List.<Cidr>of(), "+",
                "postmaster@example.com", true, 0);
    }

    static SmtpSettings custom(SmtpMode mode, long maxSize, Duration idle, BareNewlinePolicy bare, boolean spoof,
                               List<Cidr> trusted) {
        return new SmtpSettings("127.0.0.1", 0, mode, HOST, maxSize, 1000, 20, idle, false, bare, spoof, trusted,
                "+", "postmaster@example.com", true, 0);
    }

    SmtpServer start(SmtpSettings settings) {
        return start(settings, 0);
    }

    SmtpServer start(SmtpSettings settings, int clientConnectionLimit) {
        return start(settings, io.mailfleet.protocols.netty.AcceptGuard.none(), clientConnectionLimit);
    }

    SmtpServer start(SmtpSettings settings, io.mailfleet.protocols.netty.AcceptGuard guard, int clientConnectionLimit) {
        SmtpServer s = SmtpServer.start(settings, new SmtpServices(TestCollaborators.directory(),
                TestCollaborators.authenticator(), blobs, queue, TestCollaborators.usage(), tls, guard)
                        .withSessions(sessions),
                clientConnectionLimit);
        servers.add(s);
        return s;
    }

    String content(BlobRef ref) throws IOException {
        try (InputStream in = blobs.open(ref)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        servers.forEach(SmtpServer::close);
        tls.close();
        blobs.close();
    }
}
