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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * docker-mailserver's fetchmail on this node: reads {@code fetchmail.cf} once at start (its problems
 * logged with {@code file:line}), starts the cluster's {@link ClusterFetchmail} entities for its sources
 * with the Jakarta Mail poller, and answers what {@code fetchmail list|run} asks.
 */
public final class Fetchmail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Fetchmail.class);

    private final FetchmailSettings settings;
    private final FetchmailConfig config;
    private final ClusterFetchmail cluster;
    private final FetchmailMetrics metrics;

    private Fetchmail(FetchmailSettings settings, FetchmailConfig config, ClusterFetchmail cluster,
                      FetchmailMetrics metrics) {
        this.settings = settings;
        this.config = config;
        this.cluster = cluster;
        this.metrics = metrics;
    }

    /**
     * Starts polling when {@code ENABLE_FETCHMAIL} is on (the timers once {@code directoryLoaded} has
     * completed, so a first poll does not find the local addresses missing); otherwise only answers
     * that it is off.
     */
    public static Fetchmail start(ActorSystem<?> system, FetchmailSettings s, ClusterNode node, BlobStore blobs,
                                  String hostname, long sizeLimit, Path dataDir, CompletionStage<?> directoryLoaded) {
        if (!s.enabled()) {
            return new Fetchmail(s, FetchmailConfig.EMPTY, null, new FetchmailMetrics());
        }
        FetchmailConfig config = read(s.file());
        config.problems().forEach(p -> LOG.warn("fetchmail: {}", p));
        config.notes().forEach(n -> LOG.info("fetchmail: {}", n));
        FetchmailMetrics metrics = new FetchmailMetrics();
        FetchedMessageQueue queue = new FetchedMessageQueue(blobs, node.queue(), hostname, Clock.systemUTC());
        ClusterFetchmail cluster = ClusterFetchmail.start(system, new MailStorePoller(config.sources(), queue,
                        new LocalRecipients(node.directory()), sizeLimit, dataDir.resolve("tmp").resolve("fetchmail"),
                        metrics),
                new FetchmailPolicy(s.poll(), s.maxBackoff()),
                config.sources().stream().map(FetchmailSource::name).toList(), directoryLoaded);
        LOG.info("fetchmail: {} source(s) from {}, polled every {}s{}", config.sources().size(),
                s.file().map(Path::toString).orElse("(no file)"), s.poll().toSeconds(),
                config.problems().isEmpty() ? "" : ", " + config.problems().size() + " entry(ies) skipped");
        return new Fetchmail(s, config, cluster, metrics);
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

    public boolean enabled() {
        return settings.enabled();
    }

    public FetchmailSettings settings() {
        return settings;
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
    }
}
