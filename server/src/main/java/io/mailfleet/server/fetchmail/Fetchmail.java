package io.mailfleet.server.fetchmail;

import io.mailfleet.cluster.fetchmail.ClusterFetchmail;
import io.mailfleet.cluster.fetchmail.FetchmailEntity;
import io.mailfleet.cluster.fetchmail.FetchmailPolicy;
import io.mailfleet.cluster.node.ClusterNode;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.fetchmail.FetchmailConfig;
import io.mailfleet.core.fetchmail.FetchmailConfigParser;
import io.mailfleet.core.fetchmail.FetchmailSource;
import io.mailfleet.server.config.FetchmailSettings;
import io.mailfleet.server.config.GetmailSettings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * docker-mailserver's fetchmail and getmail on this node: reads {@code fetchmail.cf} and the
 * {@code getmail-*.cf} files once at start (their problems logged with {@code file:line}), starts the
 * cluster's {@link ClusterFetchmail} entities for their sources with the Jakarta Mail poller, and answers
 * what {@code fetchmail list|run} asks.
 */
public final class Fetchmail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Fetchmail.class);

    private final FetchmailSettings settings;
    private final GetmailSettings getmail;
    private final FetchmailConfig config;
    private final ClusterFetchmail cluster;
    private final FetchmailMetrics metrics;
    private final IdleConnections idle;

    private Fetchmail(FetchmailSettings settings, GetmailSettings getmail, FetchmailConfig config,
                      ClusterFetchmail cluster, FetchmailMetrics metrics, IdleConnections idle) {
        this.idle = idle;
        this.settings = settings;
        this.getmail = getmail;
        this.config = config;
        this.cluster = cluster;
        this.metrics = metrics;
    }

    /**
     * Starts polling when {@code ENABLE_FETCHMAIL} or {@code ENABLE_GETMAIL} is on (the timers once
     * {@code directoryLoaded} has completed, so a first poll does not find the local addresses missing);
     * otherwise only answers that it is off. getmail's sources are polled by the same entities, at
     * {@code GETMAIL_POLL}.
     */
    public static Fetchmail start(ActorSystem<?> system, FetchmailSettings s, GetmailSettings g, ClusterNode node,
                                  BlobStore blobs, String hostname, long sizeLimit, Path dataDir,
                                  CompletionStage<?> directoryLoaded) {
        if (!s.enabled() && !g.enabled()) {
            return new Fetchmail(s, g, FetchmailConfig.EMPTY, null, new FetchmailMetrics(), null);
        }
        FetchmailConfig fetchmail = s.enabled() ? read(s.file()) : FetchmailConfig.EMPTY;
        FetchmailConfig getmail = g.enabled() ? withoutClashes(GetmailFiles.read(g.dir()), fetchmail)
                : FetchmailConfig.EMPTY;
        FetchmailConfig config = new FetchmailConfig(
                Stream.concat(fetchmail.sources().stream(), getmail.sources().stream()).toList(),
                Stream.concat(fetchmail.problems().stream(), getmail.problems().stream()).toList(),
                Stream.concat(fetchmail.notes().stream(), getmail.notes().stream()).toList());
        fetchmail.problems().forEach(p -> LOG.warn("fetchmail: {}", p));
        fetchmail.notes().forEach(n -> LOG.info("fetchmail: {}", n));
        getmail.problems().forEach(p -> LOG.warn("getmail: {}", p));
        getmail.notes().forEach(n -> LOG.info("getmail: {}", n));
        Set<String> getmailNames = getmail.sources().stream().map(FetchmailSource::name).collect(Collectors.toSet());
        FetchmailPolicy fetchmailPolicy = new FetchmailPolicy(s.poll(), s.maxBackoff());
        FetchmailPolicy getmailPolicy = new FetchmailPolicy(g.poll(), s.maxBackoff());
        FetchmailMetrics metrics = new FetchmailMetrics();
        FetchedMessageQueue queue = new FetchedMessageQueue(blobs, node.queue(), hostname, Clock.systemUTC());
        IdleConnections idle = new IdleConnections(IdleConnections.RENEW_EVERY);
        ClusterFetchmail cluster = ClusterFetchmail.start(system, new MailStorePoller(config.sources(), queue,
                        new LocalRecipients(node.directory()), sizeLimit, dataDir.resolve("tmp").resolve("fetchmail"),
                        metrics, idle),
                name -> getmailNames.contains(name) ? getmailPolicy : fetchmailPolicy,
                config.sources().stream().map(FetchmailSource::name).toList(), directoryLoaded);
        if (s.enabled()) {
            LOG.info("fetchmail: {} source(s) from {}, polled every {}s{}", fetchmail.sources().size(),
                    s.file().map(Path::toString).orElse("(no file)"), s.poll().toSeconds(),
                    fetchmail.problems().isEmpty() ? "" : ", " + fetchmail.problems().size() + " entry(ies) skipped");
        }
        if (g.enabled()) {
            LOG.info("getmail: {} source(s) from {}, polled every {} min{}", getmail.sources().size(),
                    g.dir().map(d -> d.resolve("getmail-*.cf").toString()).orElse("(no directory)"),
                    g.poll().toMinutes(),
                    getmail.problems().isEmpty() ? "" : ", " + getmail.problems().size() + " file(s) skipped");
        }
        return new Fetchmail(s, g, config, cluster, metrics, idle);
    }

    /** getmail's sources minus any whose name a fetchmail.cf source has already (one entity per name). */
    private static FetchmailConfig withoutClashes(FetchmailConfig getmail, FetchmailConfig fetchmail) {
        Set<String> taken = fetchmail.sources().stream().map(FetchmailSource::name).collect(Collectors.toSet());
        List<String> problems = new java.util.ArrayList<>(getmail.problems());
        List<FetchmailSource> sources = new java.util.ArrayList<>();
        for (FetchmailSource src : getmail.sources()) {
            if (taken.contains(src.name())) {
                problems.add(src.origin() + ": the source name " + src.name()
                        + " is a fetchmail.cf source's already; file skipped");
            } else {
                sources.add(src);
            }
        }
        return new FetchmailConfig(sources, problems, getmail.notes());
    }

    private static FetchmailConfig read(Optional<Path> file) {
        if (file.isEmpty()) {
            return new FetchmailConfig(List.of(), List.of(
                    "ENABLE_FETCHMAIL is on but there is no fetchmail.cf: set DMS_CONFIG_DIR or mailfleet.fetchmail.file"),
                    List.of());
        }
        try {
            return FetchmailConfigParser.parse(file.get().toString(),
                    Files.readString(file.get(), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return new FetchmailConfig(List.of(), List.of(file.get() + ": no such file, nothing to fetch"), List.of());
        } catch (IOException | java.io.UncheckedIOException e) {
            return new FetchmailConfig(List.of(), List.of(file.get() + ": cannot be read: " + e.getMessage()), List.of());
        }
    }

    /** Whether fetchmail or getmail is on. */
    public boolean enabled() {
        return settings.enabled() || getmail.enabled();
    }

    public FetchmailSettings settings() {
        return settings;
    }

    public GetmailSettings getmailSettings() {
        return getmail;
    }

    /** This node's poll counters for the Prometheus metrics. */
    public List<io.prometheus.metrics.model.snapshots.MetricSnapshot> metrics() {
        return metrics.snapshots();
    }

    /** The entries refused and the notes of the file, as read at start. */
    public FetchmailConfig config() {
        return config;
    }

    /** The configured source named {@code name}. */
    public Optional<FetchmailSource> source(String name) {
        return config.sources().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Every source's status from its entity, in file order. */
    public CompletionStage<List<FetchmailEntity.SourceStatus>> statuses() {
        return cluster == null ? CompletableFuture.completedFuture(List.of()) : cluster.statuses();
    }

    /** Polls one source now; completes when that poll has ended. */
    public CompletionStage<FetchmailEntity.SourceStatus> run(String name, Duration timeout) {
        return cluster.pollNow(name, timeout);
    }

    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
        }
        if (idle != null) {
            idle.close();
        }
    }
}
