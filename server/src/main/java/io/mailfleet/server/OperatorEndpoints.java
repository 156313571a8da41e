package io.mailfleet.server;

import io.mailfleet.cluster.node.ClusterNode;
import io.mailfleet.cluster.session.ClusterSessionRegistry;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.auth.Scheme;
import io.mailfleet.core.service.DirectoryService;
import io.mailfleet.server.admin.DirectoryAdmin;
import io.mailfleet.server.api.BanRoutes;
import io.mailfleet.server.api.ManagementServer;
import io.mailfleet.server.api.QueueRoutes;
import io.mailfleet.server.api.BackupRoutes;
import io.mailfleet.server.importer.ImportWiring;
import io.mailfleet.server.api.BlobRoutes;
import io.mailfleet.server.api.ManagementRoutes;
import io.mailfleet.server.api.MetricsRoutes;
import io.mailfleet.server.metrics.NodeMetrics;
import io.mailfleet.core.ban.BanService;
import io.mailfleet.persistence.backup.OnlineBackup;
import io.mailfleet.server.config.BlobGcSettings;
import io.mailfleet.server.api.SessionRoutes;
import io.mailfleet.server.config.ApiTokenFile;
import io.mailfleet.server.config.LoadedConfig;
import io.mailfleet.server.config.ManagementSettings;
import io.mailfleet.server.config.Settings;
import io.mailfleet.server.dms.DmsConfigSync;
import io.mailfleet.server.dms.DmsDirectoryService;
import io.mailfleet.server.jmx.NodeMBeanImpl;
import io.mailfleet.server.jmx.QueueMBeanImpl;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts what operators talk to: the DMS config watcher, the management HTTP API and JMX beans. */
final class OperatorEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorEndpoints.class);

    private OperatorEndpoints() {
    }

    /** What was started: the directory administrators write through, and what to close on shutdown. */
    record Started(DirectoryService adminDirectory, DirectoryAdmin admin, List<AutoCloseable> closeables) {
    }

    static Started start(ActorSystem<?> system, LoadedConfig loaded, ClusterNode node, BanService banService,
                         BanRoutes bans, ClusterSessionRegistry sessions, io.mailfleet.core.blob.BlobStore blobs,
                         io.mailfleet.core.ratelimit.RateLimiter rateLimiter,
                         io.mailfleet.server.scan.ScannerMetrics scanners,
                         io.mailfleet.protocols.tls.TlsContextProvider tls,
                         io.mailfleet.core.service.Authenticator authenticator,
                         io.mailfleet.core.dns.DnsResolver dns,
                         io.mailfleet.server.spam.SpamLearningWiring spamLearning,
                         io.mailfleet.server.outbound.RelayFiles relayFiles)
            throws Exception {
        Settings s = loaded.settings();
        List<AutoCloseable> out = new ArrayList<>();
        DirectoryService directory = node.directory();
        java.util.concurrent.CompletionStage<?> dmsLoaded = java.util.concurrent.CompletableFuture.completedFuture(null);
        if (s.dmsConfigDir().isPresent()) {
            DmsConfigSync sync = DmsConfigSync.start(s.dmsConfigDir().get(), node.directory());
            dmsLoaded = sync.syncNow();
            BackgroundHealth.get(system).register(sync.tick());
            out.add(sync);
            directory = new DmsDirectoryService(node.directory(), sync, s.dmsConfigDir().get());
        }
        Scheme scheme = Scheme.byName(s.passwordScheme()).orElse(Scheme.SHA512_CRYPT);
        io.mailfleet.core.service.AppPasswordStore appPasswords =
                io.mailfleet.cluster.apppassword.ClusterAppPasswords.start(system);
        io.mailfleet.core.service.SenderListStore senderLists =
                io.mailfleet.cluster.spamlist.ClusterSenderLists.start(system, Duration.ofSeconds(10));
        // a deleted account's app passwords and sender lists go with it: one made again starts clean
        DirectoryAdmin admin = new DirectoryAdmin(directory, pw -> PasswordSchemes.hash(pw, scheme),
                node.mailboxes()::usedBytes, s.quotas(), node.mailboxes()::purge,
                a -> appPasswords.revokeAll(a).thenCompose(n -> senderLists.clear(a)));
        ManagementSettings api = ApiTokenFile.resolve(s.management(), s.dataDir());
        BlobGcSettings gc = s.blobGc();
        io.mailfleet.cluster.blobgc.BlobCollector collector = new io.mailfleet.cluster.blobgc.BlobCollector(
                system, blobs, gc.grace(), gc.askTimeout());
        if (!gc.interval().isZero()) {
            BlobGcSchedule schedule = BlobGcSchedule.start(system, collector, gc.interval());
            BackgroundHealth.get(system).register(schedule.tick());
            out.add(schedule);
        }
        io.mailfleet.server.fetchmail.Fetchmail fetchmail = io.mailfleet.server.fetchmail.Fetchmail.start(system,
                io.mailfleet.server.config.FetchmailSettings.of(loaded),
                io.mailfleet.server.config.GetmailSettings.of(loaded), node, blobs, s.hostname(),
                s.smtp().messageSizeLimit(), s.dataDir(), dmsLoaded);
        out.add(fetchmail);
        ClusterStatusSource status = new ClusterStatusSource(system, node.directory());
        io.mailfleet.server.dns.RecommendedRecords records = new io.mailfleet.server.dns.RecommendedRecords(
                io.mailfleet.server.dns.DnsPlanSettings.of(loaded, tls.enabled()),
                new io.mailfleet.server.dns.DkimRecords(s.outbound().dkimDir())).withCertificate(tls::certificate);
        io.mailfleet.server.admin.AppPasswordAdmin appPasswordAdmin = new io.mailfleet.server.admin.AppPasswordAdmin(
                appPasswords, directory, pw -> PasswordSchemes.hash(pw, scheme),
                system.dispatchers().lookup(org.apache.pekko.actor.typed.DispatcherSelector.blocking()));
        NodeMetrics metrics = new NodeMetrics(system, node.queue(), node.directory(),
                sessions::localSessions, banService, blobs,
                () -> java.util.stream.Stream.concat(scanners.snapshots().stream(),
                        fetchmail.metrics().stream()).toList())
                .withCertificate(tls::certificate);
        io.mailfleet.cluster.metrics.ClusterMetricHistory metricHistory =
                io.mailfleet.cluster.metrics.ClusterMetricHistory.start(system);
        io.mailfleet.server.metrics.MetricHistorySampler sampler = io.mailfleet.server.metrics.MetricHistorySampler.start(
                system, metrics, metricHistory, io.mailfleet.server.config.WebSettings.of(loaded).chartSampling(),
                java.time.Clock.systemUTC());
        BackgroundHealth.get(system).register(sampler.tick());
        out.add(sampler);
        io.mailfleet.server.admin.SenderListAdmin senderListAdmin =
                new io.mailfleet.server.admin.SenderListAdmin(senderLists, directory);
        ManagementRoutes routes = new ManagementRoutes(api.token(), admin, status,
                bans, new QueueRoutes(node.queue()), new SessionRoutes(sessions))
                .withBlobs(new BlobRoutes(collector))
                .withBackup(new BackupRoutes(new OnlineBackup(system.settings().config()), blobs, collector,
                        system.dispatchers().lookup(org.apache.pekko.actor.typed.DispatcherSelector.blocking())))
                .withMetrics(new MetricsRoutes(metrics))
                .withRateLimits(new io.mailfleet.server.api.RateLimitRoutes(rateLimiter))
                .withImport(ImportWiring.routes(system, s, node, blobs))
                .withAppPasswords(new io.mailfleet.server.api.AppPasswordRoutes(appPasswordAdmin))
                .withFetchmail(new io.mailfleet.server.api.FetchmailRoutes(fetchmail))
                .withSenderLists(new io.mailfleet.server.api.SenderListRoutes(senderListAdmin))
                .withDns(new io.mailfleet.server.api.DnsRoutes(records,
                        system.dispatchers().lookup(org.apache.pekko.actor.typed.DispatcherSelector.blocking())))
                .withSpamLearning(new io.mailfleet.server.api.SpamLearningRoutes(
                        new io.mailfleet.server.spam.BulkTraining(node.mailboxes(), spamLearning.learner())));
        org.apache.pekko.http.javadsl.server.Route web = io.mailfleet.server.web.WebUi.routes(loaded, api.token(),
                new io.mailfleet.server.web.WebUiRoutes.Services(admin, authenticator, banService, s.fail2ban().enabled(),
                        node.queue(), sessions, status, node.sieveScripts(), s.hostname(), records,
                        system.dispatchers().lookup(org.apache.pekko.actor.typed.DispatcherSelector.blocking()),
                        appPasswordAdmin, new io.mailfleet.server.dns.DnsCheck(dns), metricHistory, senderListAdmin,
                        () -> relayFiles.selector(node.directory().view().localDomains()),
                        new ShardPlacementSource(system, Duration.ofSeconds(5)),
                        // the relay files the outbound delivery reads, the DKIM directory it signs from
                        new io.mailfleet.server.outbound.RelayFileEditor(io.mailfleet.server.outbound.RelayFiles.configDir(
                                s.dmsConfigDir(), s.dataDir())),
                        new io.mailfleet.server.outbound.DkimKeyMaker(s.outbound().dkimDir()),
                        new io.mailfleet.server.admin.RegexAliasAdmin(directory)));
        ServerBinding binding = ManagementServer.start(system, api, routes, web)
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.info("management API on http://{}:{}/api/v1 (bearer token in {})", api.bind(),
                binding.localAddress().getPort(), s.management().token().isEmpty()
                        ? s.dataDir().resolve(ApiTokenFile.FILE_NAME) : "the configuration");
        if (web != null) {
            LOG.info("web UI on http://{}:{}/ui/ (log in as admin with the API token)", api.bind(),
                    binding.localAddress().getPort());
        }
        out.add(() -> binding.terminate(Duration.ofSeconds(5)).toCompletableFuture().get(10, TimeUnit.SECONDS));
        out.add(NodeMBeanImpl.register(system, node.directory(), sessions::localSessions));
        out.add(QueueMBeanImpl.register(system, node.queue()));
        out.add(io.mailfleet.server.jmx.RateLimitsMBeanImpl.register(system, rateLimiter));
        return new Started(directory, admin, out);
    }
}
