package io.mailfleet.protocols.tls;

import io.mailfleet.core.service.GuardedTick;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManagerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Holds the server {@link SslContext} for every protocol front-end and swaps it when the certificate
 * files change, so new connections use a renewed certificate without a restart.
 */
public final class TlsContextProvider implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TlsContextProvider.class);

    private final TlsSettings settings;
    private final List<Path> watched;
    private volatile SslContext context;
    private volatile List<FileTime> stamps;
    private volatile X509Certificate leaf;
    private final ScheduledExecutorService poller;
    /** The watcher's tick: survives any error of one run, and tells health checks when it fails. */
    private final GuardedTick watch = new GuardedTick("tls-certificate-watch", this::reloadIfChanged);
    /** Runs at the start of each tick; tests inject a failure here. */
    volatile Runnable beforeTick = () -> { };

    private TlsContextProvider(TlsSettings settings, List<Path> watched) {
        this.settings = settings;
        this.watched = watched;
        if (settings.type() == SslType.NONE) {
            this.poller = null;
            LOG.warn("!! INSECURE !! SSL_TYPE is empty: TLS is disabled on every port, passwords travel in clear text");
            return;
        }
        load();
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tls-certificate-watch");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(100, settings.pollInterval().toMillis());
        poller.scheduleWithFixedDelay(watch, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Resolves the certificate files for the configured mode, loads them and starts watching them.
     *
     * @throws TlsConfigurationException naming the setting or file when the certificate cannot be used
     */
    public static TlsContextProvider start(TlsSettings settings) {
        return new TlsContextProvider(settings, resolveFiles(settings));
    }

    /** True unless {@code SSL_TYPE} is empty. */
    public boolean enabled() {
        return settings.type() != SslType.NONE;
    }

    /** The context for new connections, empty when TLS is off. */
    public Optional<SslContext> current() {
        return Optional.ofNullable(context);
    }

    /** The leaf certificate currently served (for logs and tests). */
    public Optional<X509Certificate> certificate() {
        return Optional.ofNullable(leaf);
    }

    /**
     * A new server-side handler from the current context.
     *
     * @param startTls true when the handler is added after a STARTTLS reply, which must still go out in clear
     */
    public SslHandler newHandler(ByteBufAllocator alloc, boolean startTls) {
        SslContext ctx = context;
        if (ctx == null) {
            throw new IllegalStateException("TLS is disabled (SSL_TYPE empty)");
        }
        SslHandler h = new SslHandler(ctx.newEngine(alloc), startTls);
        h.setHandshakeTimeoutMillis(30_000);
        return h;
    }

    /** The files that define the certificate: chain and key, then the optional alternative pair. */
    static List<Path> resolveFiles(TlsSettings s) {
        return switch (s.type()) {
            case NONE -> List.of();
            case MANUAL, CUSTOM -> {
                List<Path> l = new ArrayList<>(List.of(s.certPath(), s.keyPath()));
                if (s.altCertPath() != null) {
                    l.add(s.altCertPath());
                    l.add(s.altKeyPath());
                }
                yield List.copyOf(l);
            }
            case LETSENCRYPT -> letsEncryptFiles(s);
            case SELF_SIGNED -> {
                Path dir = s.dataDir().resolve("tls");
                SelfSignedCertificates.ensure(dir, s.hostname());
                yield List.of(SelfSignedCertificates.certFile(dir, s.hostname()),
                        SelfSignedCertificates.keyFile(dir, s.hostname()));
            }
        };
    }

    private static List<Path> letsEncryptFiles(TlsSettings s) {
        List<String> tried = new ArrayList<>();
        for (String domain : s.domainCandidates()) {
            Path dir = s.letsencryptRoot().resolve("live").resolve(domain);
            tried.add(dir.toString());
            Path chain = dir.resolve("fullchain.pem");
            if (!Files.isRegularFile(chain)) {
                continue;
            }
            for (String keyName : List.of("privkey.pem", "key.pem")) {
                if (Files.isRegularFile(dir.resolve(keyName))) {
                    return List.of(chain, dir.resolve(keyName));
                }
            }
        }
        throw new TlsConfigurationException("SSL_TYPE=letsencrypt: no fullchain.pem with privkey.pem (or key.pem) in "
                + String.join(", ", tried));
    }

    private void load() {
        List<FileTime> now = stampsOf();
        char[] pw = new char[0];
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, pw);
            X509Certificate first = null;
            for (int i = 0; i + 1 < watched.size(); i += 2) {
                List<X509Certificate> chain = PemFiles.readChain(watched.get(i));
                ks.setKeyEntry("key" + i, PemFiles.readKey(watched.get(i + 1)), pw,
                        chain.toArray(new X509Certificate[0]));
                if (first == null) {
                    first = chain.get(0);
                }
            }
            // NewSunX509 picks the entry matching the negotiated signature algorithm (ECDSA or RSA)
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("NewSunX509");
            kmf.init(ks, pw);
            TlsLevel level = settings.level();
            SslContext ctx = SslContextBuilder.forServer(kmf)
                    .sslProvider(SslProvider.JDK)
                    .protocols(level.protocols())
                    .ciphers(level.ciphers(), SupportedCipherSuiteFilter.INSTANCE)
                    .build();
            this.context = ctx;
            this.leaf = first;
            this.stamps = now;
            // the fingerprint is what a user compares when a client asks to trust a self-signed certificate
            LOG.info("TLS certificate loaded from {} (subject {}, expires {}, SHA-256 fingerprint {})", watched.get(0),
                    first.getSubjectX500Principal().getName(), first.getNotAfter().toInstant(), fingerprint(first));
        } catch (TlsConfigurationException e) {
            throw e;
        } catch (Exception e) {
            throw new TlsConfigurationException("cannot build a TLS context from " + watched + ": " + e.getMessage(), e);
        }
    }

    private List<FileTime> stampsOf() {
        List<FileTime> l = new ArrayList<>();
        for (Path p : watched) {
            try {
                // follow symlinks: letsencrypt's live/ files point into archive/
                l.add(Files.getLastModifiedTime(p));
            } catch (IOException e) {
                l.add(FileTime.fromMillis(-1));
            }
        }
        return l;
    }

    /** The certificate watcher's tick (its health for readiness checks); empty when TLS is off. */
    public Optional<GuardedTick> watcher() {
        return poller == null ? Optional.empty() : Optional.of(watch);
    }

    private void reloadIfChanged() {
        beforeTick.run();
        try {
            if (!stampsOf().equals(stamps)) {
                load();
            }
        } catch (RuntimeException e) {
            // a half-written renewal must not take TLS down: keep serving the previous certificate
            // logged by the watcher's guard once (not every poll), reported failing until a reload succeeds
            throw new TlsConfigurationException("TLS certificate reload failed, keeping the previous certificate: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /** The certificate's SHA-256 fingerprint as clients show it: upper-case hex pairs joined by colons. */
    static String fingerprint(X509Certificate certificate) throws java.security.GeneralSecurityException {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        StringBuilder out = new StringBuilder();
        for (byte b : digest) {
            if (out.length() > 0) {
                out.append(':');
            }
            out.append(String.format("%02X", b));
        }
        return out.toString();
    }
}
