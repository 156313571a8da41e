package io.mailfleet.server.outbound;

import io.mailfleet.server.config.OutboundConfig;
import io.mailfleet.cluster.mtasts.ClusterPolicyCache;
import io.mailfleet.cluster.tlsrpt.ClusterTlsReports;
import io.mailfleet.core.queue.MailQueue;
import io.mailfleet.core.tlsrpt.TlsReportStore;
import io.mailfleet.protocols.outbound.TransportSecurity;
import io.mailfleet.protocols.outbound.dane.DaneResolver;
import io.mailfleet.protocols.outbound.sts.MtaStsResolver;
import io.mailfleet.protocols.outbound.sts.PolicyFetcher;
import io.mailfleet.protocols.outbound.https.HttpsClient;
import io.mailfleet.server.config.TransportSecurityConfig;
import io.mailfleet.server.outbound.tlsrpt.TlsReportSender;
import org.apache.pekko.actor.typed.ActorSystem;
import io.mailfleet.cluster.queue.OutboundPolicy;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.service.DirectoryService;
import io.mailfleet.core.srs.Srs;
import io.mailfleet.server.config.ConfigError;
import io.mailfleet.server.config.Settings;
import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.protocols.outbound.MxResolver;
import io.mailfleet.protocols.outbound.OutboundClient;
import io.mailfleet.protocols.outbound.OutboundSettings;
import io.mailfleet.protocols.outbound.OutboundTimeouts;
import io.mailfleet.protocols.outbound.OutboundTransport;
import io.mailfleet.protocols.outbound.OutboundTrust;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.function.Function;

/**
 * Builds the outbound path of a node from its configuration: the SMTP client, the MX resolver, relay
 * selection from RELAY_* and the docker-mailserver files, DKIM keys and SRS, handed to the queue as
 * an {@link OutboundPolicy}.
 */
public final class OutboundWiring implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundWiring.class);

    private final OutboundConfig config;
    private final Settings settings;
    private final OutboundClient client;
    private final MxResolver resolver;
    private final RelayFiles relays;
    private final DkimKeyring dkim;
    private final Srs srs;
    private final DnsResolver dns;
    private final OutboundTrust trust;
    private TransportSecurity security;
    private java.util.function.UnaryOperator<io.mailfleet.core.service.RemoteTransport> destinationLimit = t -> t;
    private TlsReportStore tlsReports = TlsReportStore.none();
    private HttpsClient https;
    private TlsReportSender reportSender;
    private io.mailfleet.server.dkim.DkimRotationSchedule dkimRotation;

    private OutboundWiring(OutboundConfig config, Settings settings, DnsResolver dns) {
        this.config = config;
        this.settings = settings;
        this.dns = dns;
        try {
            this.relays = new RelayFiles(config, java.util.Optional.of(RelayFiles.configDir(settings.dmsConfigDir(), settings.dataDir())));
        } catch (IllegalArgumentException e) {
            throw new ConfigError("relay configuration: " + e.getMessage(), e);
        }
        this.resolver = new MxResolver(dns);
        this.security = TransportSecurity.off().withDane(new DaneResolver(dns));
        this.dkim = new DkimKeyring(config.dkimDir());
        this.srs = settings.srsEnabled() ? new Srs(srsSecrets(config, settings.dataDir()),
                new HashSet<>(config.srsExcludeDomains()), Srs.DEFAULT_MAX_AGE_DAYS, Clock.systemUTC()) : null;
        OutboundSettings os = OutboundSettings.defaults().withDestinationConcurrency(config.destinationConcurrency());
        if (!config.smtpTimeout().isZero()) {
            os = os.withTimeouts(OutboundTimeouts.uniform(config.smtpTimeout()));
        }
        OutboundTrust trust;
        try {
            trust = config.tlsCaFile() == null ? OutboundTrust.system() : OutboundTrust.caFile(config.tlsCaFile());
        } catch (IllegalArgumentException e) {
            throw new ConfigError("mailfleet.outbound.tls.ca-file: " + e.getMessage(), e);
        }
        this.trust = trust;
        this.client = new OutboundClient(os, trust);
    }

    /**
     * Starts the cluster-wide MTA-STS policy cache and TLS-RPT counts as configured; call before the
     * queue starts ({@link #policy}), so every delivery applies them.
     */
    public void startTransportSecurity(ActorSystem<?> system) {
        TransportSecurityConfig c = config.security();
        if (c.tlsRpt()) {
            tlsReports = ClusterTlsReports.start(system);
        }
        MtaStsResolver sts = null;
        if (c.mtaSts()) {
            sts = new MtaStsResolver(dns, ClusterPolicyCache.start(system),
                    new PolicyFetcher(https(), c.httpsPort(), c.fetchTimeout()), c.maxAgeCap().toSeconds(),
                    Clock.systemUTC());
        }
        security = new TransportSecurity(sts, tlsReports, Clock.systemUTC()).withDane(new DaneResolver(dns));
        LOG.info("outbound MTA-STS {}, TLS-RPT {}", c.mtaSts() ? "on" : "off",
                c.tlsRpt() ? "on (reports from " + c.reportAddress() + ", period " + c.reportPeriod() + ")" : "off");
    }

    /** The HTTPS client of MTA-STS fetches and TLS-RPT uploads, created on first use. */
    private synchronized HttpsClient https() {
        if (https == null) {
            https = new HttpsClient(dns, trust.factory());
        }
        return https;
    }

    /** Starts sending the TLS reports through the queue when TLS-RPT is configured. */
    public void startTlsReports(MailQueue queue, BlobStore blobs) {
        if (config.security().tlsRpt()) {
            reportSender = TlsReportSender.start(config.security(), tlsReports, dns, queue, blobs, https(),
                    settings.hostname());
        }
    }

    /**
     * Starts the automatic DKIM rotation steps ({@code mailfleet.dkim.rotation}) on this node's DKIM
     * directory, run on the oldest cluster member; nothing when both steps are off.
     */
    public void startDkimRotation(ActorSystem<?> system, io.mailfleet.server.config.DkimRotationSettings rotation) {
        if (!rotation.switches() && !rotation.retires()) {
            LOG.info("DKIM rotation: switching and retiring only by command (mailfleet.dkim.rotation)");
            return;
        }
        io.mailfleet.server.dkim.DkimRotationCheck check = new io.mailfleet.server.dkim.DkimRotationCheck(
                config.dkimDir(), rotation, new io.mailfleet.server.dns.DnsCheck(dns), Clock.systemUTC());
        dkimRotation = io.mailfleet.server.dkim.DkimRotationSchedule.start(system, check, rotation.checkInterval());
        LOG.info("DKIM rotation: checked every {} on the oldest cluster member; a pending key switches {}, a replaced"
                        + " key is retired {}", io.mailfleet.server.config.DkimRotationSettings.text(rotation.checkInterval()),
                rotation.switches() ? io.mailfleet.server.config.DkimRotationSettings.text(rotation.switchAfter())
                        + " after the rotation started once DNS answers its record" : "only by command",
                rotation.retires() ? io.mailfleet.server.config.DkimRotationSettings.text(rotation.retireAfter())
                        + " after the switch" : "only by command");
    }

    /** The TLS report job, when TLS-RPT is on. */
    public java.util.Optional<TlsReportSender> tlsReportSender() {
        return java.util.Optional.ofNullable(reportSender);
    }

    /** The relay files as the delivery reads them; the web UI's relay page shows this same reader. */
    public RelayFiles relayFiles() {
        return relays;
    }

    /** Starts the SMTP client with the validated outbound settings. */
    public static OutboundWiring start(Settings settings) {
        return start(settings, NodeDns.resolver(settings.outbound()));
    }

    /** As above, looking MX records up through the node's shared resolver. */
    public static OutboundWiring start(Settings settings, DnsResolver dns) {
        return new OutboundWiring(settings.outbound(), settings, dns);
    }

    /**
     * Counts outbound messages per recipient domain in {@code limiter} (cluster-wide) when {@code perDomain}
     * is set; call before {@link #policy}.
     */
    public void limitDestinations(io.mailfleet.core.ratelimit.RateLimiter limiter,
                                  java.util.Optional<io.mailfleet.core.ratelimit.RateLimit> perDomain) {
        perDomain.ifPresent(limit -> {
            destinationLimit = t -> new DomainRateLimitedTransport(t, limiter, limit);
            LOG.info("outbound rate limit (cluster-wide): {} messages per minute per recipient domain", limit.max());
        });
    }

    /** The queue's outbound policy; the transport follows the directory's local domains for relay choice. */
    public Function<DirectoryService, OutboundPolicy> policy(BlobStore blobs) {
        return policy(blobs, false);
    }

    /** As above; {@code arcSeal} adds an ARC set to forwarded mail ({@code mailfleet.arc.seal}). */
    public Function<DirectoryService, OutboundPolicy> policy(BlobStore blobs, boolean arcSeal) {
        return directory -> {
            OutboundTransport transport = new OutboundTransport(client, resolver,
                    () -> relays.selector(directory.view().localDomains()), blobs, settings.hostname(), config.mxPort(),
                    security);
            return new OutboundPolicy(destinationLimit.apply(transport), config.retry(), config.delayWarning(),
                    settings.hostname(), srs, config.srsDomain(), dkim::key, arcSeal);
        };
    }

    public OutboundConfig config() {
        return config;
    }

    public DkimKeyring dkim() {
        return dkim;
    }

    /** The SRS addresses whose bounces SMTP accepts at RCPT; none when SRS is off. */
    public io.mailfleet.protocols.smtp.policy.SrsBounces srsBounces() {
        return srs == null ? io.mailfleet.protocols.smtp.policy.SrsBounces.disabled()
                : new io.mailfleet.protocols.smtp.policy.SrsBounces(srs, config.srsDomain());
    }

    /** SRS_SECRET, else the secret in {@code <data-dir>/srs-secret}, generated on first use. */
    static List<String> srsSecrets(OutboundConfig c, Path dataDir) {
        if (!c.srsSecret().isEmpty()) {
            return List.of(c.srsSecret().split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        Path file = dataDir.resolve("srs-secret");
        try {
            if (!Files.exists(file)) {
                byte[] b = new byte[24];
                new SecureRandom().nextBytes(b);
                io.mailfleet.core.files.PrivateFiles.createDirectories(dataDir);
                io.mailfleet.core.files.PrivateFiles.writeNew(file, Base64.getEncoder().encodeToString(b) + "\n");
                LOG.warn("SRS secret generated into {}: give every cluster node the same SRS_SECRET", file);
            }
            List<String> secrets = Files.readAllLines(file, StandardCharsets.US_ASCII).stream().map(String::strip)
                    .filter(s -> !s.isEmpty()).toList();
            if (secrets.isEmpty()) {
                throw new ConfigError(file + " is empty: put an SRS secret in it or set SRS_SECRET");
            }
            return secrets;
        } catch (IOException e) {
            throw new ConfigError("cannot read or create the SRS secret file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (dkimRotation != null) {
            dkimRotation.close();
        }
        if (reportSender != null) {
            reportSender.close();
        }
        if (https != null) {
            https.close();
        }
        client.close();
    }
}
