package io.mailfleet.server.mtasts;

import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.protocols.tls.TlsContextProvider;
import io.mailfleet.server.config.MtaStsServerSettings;
import io.netty.buffer.ByteBufAllocator;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLEngine;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The optional HTTPS listener ({@code mailfleet.mta-sts-server}) serving the hosted domains' MTA-STS
 * policy with the mail certificate: every connection takes the certificate in force at that moment
 * from the node's {@link TlsContextProvider}, so a renewed certificate is served without a restart.
 */
public final class PolicyServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.mta-sts");

    private final ServerBinding binding;

    private PolicyServer(ServerBinding binding) {
        this.binding = binding;
    }

    /** Binds the listener when enabled; null when it is off. Without TLS (no SSL_TYPE) it refuses to start. */
    public static PolicyServer start(ActorSystem<?> system, MtaStsServerSettings settings, String hostname,
                                     TlsContextProvider tls, Supplier<DirectoryView> directory) throws Exception {
        if (!settings.enabled()) {
            return null;
        }
        if (!tls.enabled()) {
            throw new IllegalStateException("mailfleet.mta-sts-server.enabled = true needs TLS (SSL_TYPE): the policy"
                    + " is only served over HTTPS with the mail certificate");
        }
        OwnPolicy policy = OwnPolicy.of(settings, hostname);
        ServerBinding b = Http.get(system).newServerAt(settings.bind(), settings.port())
                .enableHttps(ConnectionContext.httpsServer(() -> engine(tls)))
                .bind(new PolicyRoutes(policy, directory).routes())
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.info("MTA-STS policy served on https://{}:{}/.well-known/mta-sts.txt for mta-sts.<each hosted domain>"
                + " (id={}): {}", settings.bind(), b.localAddress().getPort(), policy.id(),
                policy.text().strip().replace('\n', ' '));
        List<String> uncovered = uncovered(tls.certificate().orElse(null), directory.get().localDomains());
        if (!uncovered.isEmpty()) {
            LOG.warn("the mail certificate does not name {}: senders will not accept the MTA-STS policy of those"
                    + " domains (add the names to the certificate)", uncovered);
        }
        return new PolicyServer(b);
    }

    private static SSLEngine engine(TlsContextProvider tls) {
        SSLEngine e = tls.current().orElseThrow(() -> new IllegalStateException("no TLS certificate loaded"))
                .newEngine(ByteBufAllocator.DEFAULT);
        e.setUseClientMode(false);
        return e;
    }

    /** The {@code mta-sts.<domain>} names the certificate does not cover (exact or one-label wildcard). */
    static List<String> uncovered(X509Certificate cert, Collection<String> domains) {
        List<String> names = new ArrayList<>();
        try {
            if (cert != null && cert.getSubjectAlternativeNames() != null) {
                for (List<?> san : cert.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        names.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // treated as naming nothing: every domain is reported
        }
        List<String> out = new ArrayList<>();
        for (String d : domains) {
            String want = PolicyRoutes.PREFIX + d.toLowerCase(Locale.ROOT);
            boolean covered = names.contains(want) || names.contains("*." + d.toLowerCase(Locale.ROOT));
            if (!covered) {
                out.add(want);
            }
        }
        return out.stream().sorted().toList();
    }

    /** The bound port. */
    public int port() {
        return binding.localAddress().getPort();
    }

    @Override
    public void close() throws Exception {
        binding.terminate(Duration.ofSeconds(5)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
