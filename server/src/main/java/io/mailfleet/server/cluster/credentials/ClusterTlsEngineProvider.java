package io.mailfleet.server.cluster.credentials;

import com.typesafe.config.Config;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.remote.artery.tcp.SSLEngineProvider;
import org.apache.pekko.remote.artery.tcp.ssl.RotatingKeysSSLEngineProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Artery's TLS engines: Pekko's RotatingKeysSSLEngineProvider (PEM files of the credentials
 * directory, re-read when they change, mutual authentication, trust only in the cluster CA) with
 * refused inbound connections logged. Named in {@code pekko.remote.artery.ssl.ssl-engine-provider};
 * Pekko creates it with the ActorSystem.
 */
public final class ClusterTlsEngineProvider implements SSLEngineProvider {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterTlsEngineProvider.class);
    /** How often refusals are reported (checked when the configuration is loaded). */
    static final String REPORT_INTERVAL_KEY = "mailfleet.cluster.refusal-report-interval";
    private static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofSeconds(10);

    private final RotatingKeysSSLEngineProvider delegate;
    private final RefusalLog refusals;

    public ClusterTlsEngineProvider(ActorSystem system) {
        this.delegate = new RotatingKeysSSLEngineProvider(system);
        Config config = system.settings().config();
        this.refusals = new RefusalLog(config.hasPath(REPORT_INTERVAL_KEY) ? config.getDuration(REPORT_INTERVAL_KEY)
                : DEFAULT_REPORT_INTERVAL, caName(system));
    }

    private static String caName(ActorSystem system) {
        String file = system.settings().config().getString("pekko.remote.artery.ssl.rotating-keys-engine.ca-cert-file");
        try {
            return ClusterCertificates.readCertificate(Path.of(file)).getSubjectX500Principal().getName() + ", " + file;
        } catch (Exception e) {
            return file;
        }
    }

    @Override
    public SSLEngine createServerSSLEngine(String hostname, int port) {
        return new RefusalLoggingSSLEngine(delegate.createServerSSLEngine(hostname, port), refusals);
    }

    @Override
    public SSLEngine createClientSSLEngine(String hostname, int port) {
        return delegate.createClientSSLEngine(hostname, port);
    }

    @Override
    public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
        Option<Throwable> failure = delegate.verifyClientSession(hostname, session);
        if (failure.isDefined()) {
            refusals.refused(new Exception(failure.get().getMessage()));
        }
        return failure;
    }

    @Override
    public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
        Option<Throwable> failure = delegate.verifyServerSession(hostname, session);
        if (failure.isDefined()) {
            LOG.warn("refused the cluster peer at {}: {}", hostname, failure.get().getMessage());
        }
        return failure;
    }
}
