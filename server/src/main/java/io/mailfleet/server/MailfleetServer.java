package io.mailfleet.server;

import io.mailfleet.core.service.HeavyWorkGate;
import io.mailfleet.core.mime.HeaderLimits;
import io.mailfleet.cluster.auth.DirectoryAuthenticator;
import io.mailfleet.cluster.ban.BanWarmup;
import io.mailfleet.cluster.ban.ClusterBanService;
import io.mailfleet.cluster.pop3.ClusterPop3Locks;
import io.mailfleet.cluster.session.ClusterSessionRegistry;
import io.mailfleet.cluster.sieve.ClusterSieveScripts;
import io.mailfleet.core.ban.BanService;
import io.mailfleet.core.ban.DisabledBanService;
import io.mailfleet.server.api.BanRoutes;
import io.mailfleet.server.config.Fail2banSettings;
import io.mailfleet.protocols.managesieve.ManageSieveServices;
import io.mailfleet.protocols.pop3.Pop3Services;
import io.mailfleet.cluster.mailbox.ClusterMailboxService;
import io.mailfleet.protocols.imap.ImapServices;
import io.mailfleet.cluster.node.ClusterNode;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.directory.DirectoryException;
import io.mailfleet.core.directory.ResolverOptions;
import io.mailfleet.server.config.LoadedConfig;
import io.mailfleet.server.config.Settings;
import io.mailfleet.persistence.blob.BlobStores;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.persistence.journal.H2Housekeeping;
import io.mailfleet.persistence.journal.JournalSchema;
import io.mailfleet.protocols.smtp.SmtpServices;
import io.mailfleet.protocols.tls.TlsContextProvider;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One running Mailfleet node: storage, cluster membership and entities, the mail listeners and the
 * operator endpoints, started in dependency order and stopped in reverse (listeners before storage).
 */
public final class MailfleetServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MailfleetServer.class);

    private final ActorSystem<Void> system;
    private final ClusterNode node;
    private final BlobStore blobs;
    private final TlsContextProvider tls;
    private final MailListeners listeners;
    private final ExecutorService authExecutor;
    private final List<AutoCloseable> extras;

    private MailfleetServer(ActorSystem<Void> system, ClusterNode node, BlobStore blobs, TlsContextProvider tls,
                            MailListeners listeners, ExecutorService authExecutor, List<AutoCloseable> extras) {
        this.system = system;
        this.node = node;
        this.blobs = blobs;
        this.tls = tls;
        this.listeners = listeners;
        this.authExecutor = authExecutor;
        this.extras = extras;
    }

    /** Starts a node; {@code first} is created as an account when given and not present yet. */
    public static MailfleetServer start(LoadedConfig loaded, FirstAccount first) throws Exception {
        Settings s = loaded.settings();
        PrivateDataDirectory.secure(s.dataDir());
        loaded.warnings().forEach(w -> LOG.warn("configuration: {}", w));
        io.mailfleet.server.cluster.credentials.ClusterCredentials.prepare(s.cluster());
        io.mailfleet.server.cluster.formation.FormationGuard formation =
                io.mailfleet.server.cluster.formation.FormationGuard.prepare(loaded.config(), s.cluster());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "mailfleet", formation.config());
        List<AutoCloseable> extras = new ArrayList<>();
        BlobStore blobs = null;
        TlsContextProvider tls = null;
        ExecutorService authExecutor = null;
        try {
            JournalSchema.ensure(system).toCompletableFuture().get(60, TimeUnit.SECONDS);
            H2Housekeeping housekeeping = H2Housekeeping.start(loaded.config());
            if (housekeeping != null) {
                extras.add(housekeeping);
            }
            PrivateDataDirectory.afterJournalOpened(s.dataDir());
            blobs = BlobStores.fromConfig(loaded.config());
            ResolverOptions resolver = new ResolverOptions(s.smtp().recipientDelimiter(), s.postmasterAddress(),
                    ResolverOptions.DEFAULT_MAX_DEPTH);
            // one resolver and one cache per node, for MX look-ups and the inbound checks alike
            io.mailfleet.core.dns.DnsResolver dns = io.mailfleet.server.outbound.NodeDns.resolver(s.outbound());
            io.mailfleet.server.outbound.OutboundWiring outbound = io.mailfleet.server.outbound.OutboundWiring.start(s, dns);
            extras.add(outbound);
            outbound.startTransportSecurity(system);
            outbound.limitDestinations(io.mailfleet.cluster.ratelimit.ClusterRateLimiter.start(system),
                    s.rateLimits().outboundDomain());
            io.mailfleet.server.cluster.ClusterDiscovery.start(system, s.cluster());
            io.mailfleet.server.ldap.LdapWiring ldap = LdapStart.wiring(loaded, extras);
            ClusterNode node = ClusterNode.start(system, resolver, blobs, outbound.policy(blobs,
                    io.mailfleet.server.config.ArcSettings.of(loaded).seal()), NodeWiring.options(s),
                    LdapStart.layer(ldap, resolver));
            outbound.startTlsReports(node.queue(), blobs);
            outbound.startDkimRotation(system, io.mailfleet.server.config.DkimRotationSettings.of(loaded));
            formation.start(system);
            io.mailfleet.server.cluster.ClusterMembership.awaitUp(system, s.cluster());
            io.mailfleet.server.quota.QuotaWarningWiring.start(system, loaded, node, blobs);
            // Listeners open only once the directory cache is complete: an RCPT judged against a
            // half-loaded cache would reject real users with a permanent 550.
            node.directoryReady().toCompletableFuture().get(150, TimeUnit.SECONDS);
            authExecutor = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                    r -> {
                        Thread t = new Thread(r, "mailfleet-auth");
                        t.setDaemon(true);
                        return t;
                    });
            Fail2banSettings f2b = s.fail2ban();
            BanService bans = startBans(system, f2b);
            io.mailfleet.core.service.AppPasswordStore appPasswords =
                    io.mailfleet.cluster.apppassword.ClusterAppPasswords.start(system);
            io.mailfleet.core.service.Authenticator accounts = ldap != null ? ldap.authenticator(bans)
                    : new DirectoryAuthenticator(node.directory(), authExecutor, bans, io.mailfleet.core.auth.Scheme
                            .byName(s.passwordScheme()).orElse(io.mailfleet.core.auth.Scheme.SHA512_CRYPT), appPasswords);
            io.mailfleet.core.service.Authenticator authenticator = io.mailfleet.server.auth.AuthWiring.authenticator(
                    loaded, accounts, node.directory(), authExecutor, bans);

            PekkoManagement.get(system).start().toCompletableFuture().get(30, TimeUnit.SECONDS);
            LOG.info("health and cluster endpoints (/ready, /alive, /cluster/members) on {}:{}",
                    system.settings().config().getString("pekko.management.http.hostname"),
                    system.settings().config().getInt("pekko.management.http.port"));
            ClusterSessionRegistry sessions = ClusterSessionRegistry.start(system, s.sessions().refreshInterval(),
                    s.sessions().askTimeout());
            io.mailfleet.core.ratelimit.RateLimiter rateLimiter =
                    io.mailfleet.cluster.ratelimit.ClusterRateLimiter.start(system);
            tls = TlsContextProvider.start(TlsWiring.from(s));
            io.mailfleet.server.scan.ScannerMetrics scanners = new io.mailfleet.server.scan.ScannerMetrics();
            io.mailfleet.server.spam.SpamLearningWiring spamLearning =
                    io.mailfleet.server.spam.SpamLearningWiring.start(system, loaded, blobs);
            extras.add(spamLearning);
            OperatorEndpoints.Started endpoints = OperatorEndpoints.start(system, loaded, node, bans,
                    new BanRoutes(bans, f2b.enabled()), sessions, blobs, rateLimiter, scanners, tls, authenticator, dns,
                    spamLearning, outbound.relayFiles());
            extras.addAll(endpoints.closeables());

            if (first != null) {
                // Through the admin directory: in docker-mailserver mode that writes postfix-accounts.cf.
                createFirstAccount(endpoints.adminDirectory(), first);
            }
            tls.watcher().ifPresent(BackgroundHealth.get(system)::register);
            AcceptGuards guards = new AcceptGuards(f2b.enabled() ? bans : null, s.proxyProtocol(), s.connections());
            HeaderLimits headerLimits = new HeaderLimits(
                    s.limits().headerSize(), s.limits().headerLineLength());
            HeavyWorkGate heavyWork = new HeavyWorkGate(
                    s.limits().heavyCommandsPerUser(), s.limits().heavyCommandsPerNode());
            extras.add(heavyWork);
            SmtpServices smtp = new SmtpServices(node.lookups(), authenticator, blobs, node.queue(),
                    node.mailboxes()::usedBytes, tls).withSrsBounces(outbound.srsBounces()).withSessions(sessions)
                    .withHeaderLimits(headerLimits);
            ClusterMailboxService mailboxService = new ClusterMailboxService(system, blobs, authExecutor);
            ImapServices imap = new ImapServices(authenticator, spamLearning.imapMailboxes(mailboxService), blobs,
                    node.lookups(), tls)
                    .withSessions(sessions).withHeaderLimits(headerLimits).withHeavyWork(heavyWork);
            ClusterPop3Locks pop3Locks = ClusterPop3Locks.start(system);
            ClusterSieveScripts sieveScripts = node.sieveScripts();
            Pop3Services pop3 = new Pop3Services(authenticator, mailboxService, blobs, pop3Locks::tryLock, tls)
                    .withSessions(sessions);
            ManageSieveServices sieve = new ManageSieveServices(authenticator, sieveScripts, tls,
                    io.mailfleet.protocols.netty.AcceptGuard.none(), sessions);
            smtp = io.mailfleet.server.inbound.SpfWiring.withSpf(smtp, loaded, s, dns,
                    io.mailfleet.server.inbound.AuthenticationCounters.get(system));
            io.mailfleet.server.inbound.dmarcrpt.DmarcReportWiring dmarcReports =
                    io.mailfleet.server.inbound.dmarcrpt.DmarcReportWiring.start(system, loaded, rateLimiter,
                            s.hostname(), dns, node.queue(), blobs);
            extras.add(dmarcReports);
            smtp = io.mailfleet.server.inbound.AuthenticationWiring.withAuthentication(smtp, loaded, s, dns,
                    io.mailfleet.server.inbound.AuthenticationCounters.get(system), dmarcReports);
            smtp = io.mailfleet.server.inbound.ScannerWiring.withScanners(smtp,
                    io.mailfleet.server.config.ScannerSettings.of(loaded), blobs, scanners,
                    io.mailfleet.cluster.spamlist.ClusterSenderLists.start(system, java.time.Duration.ofSeconds(10)),
                    io.mailfleet.server.config.MilterSettings.of(loaded), s.hostname(), spamLearning.classifier(),
                    io.mailfleet.server.config.UrlDnsblSettings.of(loaded), dns);
            MailListeners listeners = MailListeners.start(s, smtp, imap, pop3, sieve, guards,
                    s.login().policy(), SmtpDefences.start(system, s, rateLimiter,
                            io.mailfleet.server.config.DnsblConfig.of(loaded), dns));
            extras.add(io.mailfleet.protocols.netty.BannedSessionCloser.watch(bans, listeners.connections()));
            listeners.lines().forEach(line -> LOG.info(line));
            extras.add(io.mailfleet.server.autoconfig.AutoconfigServer.start(system,
                    io.mailfleet.server.config.AutoconfigSettings.of(loaded), s.hostname(), listeners, tls.enabled(),
                    node.directory()::view, SelfServiceWiring.routes(system, s, endpoints, authenticator, bans, appPasswords)));
            extras.add(io.mailfleet.server.mtasts.PolicyServer.start(system,
                    io.mailfleet.server.config.MtaStsServerSettings.of(loaded), s.hostname(), tls, node.directory()::view));
            MailfleetServer server = new MailfleetServer(system, node, blobs, tls, listeners, authExecutor, extras);
            server.registerShutdown();
            server.hintWhenEmpty(io.mailfleet.server.config.NoAccountWait.of(loaded));
            return server;
        } catch (Exception | Error e) {
            for (AutoCloseable c : extras) {
                closeQuietly(c);
            }
            closeQuietly(tls);
            closeQuietly((AutoCloseable) blobs);
            if (authExecutor != null) {
                authExecutor.shutdownNow();
            }
            system.terminate();
            throw e;
        }
    }

    /** The cluster-wide ban list when fail2ban is on, else a service that bans nothing. */
    private static BanService startBans(ActorSystem<?> system, Fail2banSettings f2b) {
        if (!f2b.enabled()) {
            return new DisabledBanService(f2b.policy());
        }
        ClusterBanService bans = ClusterBanService.start(system, f2b.policy());
        BanWarmup.run(system, bans).whenComplete((n, e) -> {
            if (e != null) {
                LOG.error("ban-list warm-up failed: {}", e.getMessage());
            }
        });
        return bans;
    }

    private static void createFirstAccount(io.mailfleet.core.service.DirectoryService directory, FirstAccount first)
            throws Exception {
        String address = first.address().toLowerCase(java.util.Locale.ROOT);
        try {
            directory.apply(new DirectoryChange.AddAccount(address, PasswordSchemes.hash(first.password())))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            String line = first.generated()
                    ? "created account " + address + " with password: " + first.password()
                    : "created account " + address;
            System.out.println(line);
            LOG.info("created first account {}", address);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof DirectoryException de
                    && ("exists".equals(de.code()) || de.getMessage().contains("already exists"))) {
                System.out.println("account " + address + " already exists; its password was not changed");
            } else {
                throw e;
            }
        }
    }

    /** docker-mailserver waits about two minutes for a first file account, warning, then stops; so do we. */
    private void hintWhenEmpty(io.mailfleet.server.config.NoAccountWait wait) {
        if (node.lookups() == node.directory()) {
            NoAccountWatch.start(system, node.directory(), wait);
        }
    }

    /** True when the node stopped because no mail account was added within the configured wait. */
    public boolean stoppedForWantOfAccount() {
        return CoordinatedShutdown.get(system).getShutdownReason()
                .filter(r -> r == NoAccountWatch.NO_ACCOUNT).isPresent();
    }

    private void registerShutdown() {
        CoordinatedShutdown cs = CoordinatedShutdown.get(system);
        cs.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "stop-mail-listeners", () -> {
            LOG.info("stopping mail listeners");
            listeners.close();
            return CompletableFuture.completedFuture(Done.getInstance());
        });
        cs.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-storage", () -> {
            for (AutoCloseable c : extras) {
                closeQuietly(c);
            }
            closeQuietly(tls);
            authExecutor.shutdownNow();
            closeQuietly((AutoCloseable) blobs);
            return CompletableFuture.completedFuture(Done.getInstance());
        });
    }

    public ActorSystem<Void> system() {
        return system;
    }

    public ClusterNode node() {
        return node;
    }

    public BlobStore blobs() {
        return blobs;
    }

    public MailListeners listeners() {
        return listeners;
    }

    /** Completes when the actor system has terminated. */
    public CompletableFuture<Done> terminated() {
        return system.getWhenTerminated().toCompletableFuture();
    }

    /** Graceful stop: leave the cluster, stop listeners, then storage. */
    @Override
    public void close() {
        CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
        try {
            system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("shutdown did not finish cleanly: {}", e.toString());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
        }
    }

}
