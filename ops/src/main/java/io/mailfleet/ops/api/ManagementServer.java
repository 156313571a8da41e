package io.mailfleet.ops.api;

import io.mailfleet.ops.admin.DirectoryAdmin;
import io.mailfleet.ops.config.ManagementSettings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;

import java.util.concurrent.CompletionStage;

/** Starts the management HTTP API on {@link ManagementSettings#bind()}:{@link ManagementSettings#port()}. */
public final class ManagementServer {

    private ManagementServer() {
    }

    /**
     * Binds the API. {@code settings.token()} must already be resolved (see
     * {@link io.mailfleet.ops.config.ApiTokenFile#resolve}); the binding fails when the port is taken.
     */
    public static CompletionStage<ServerBinding> start(ActorSystem<?> system, ManagementSettings settings,
                                                       DirectoryAdmin admin, NodeStatusSource status) {
        ManagementRoutes routes = new ManagementRoutes(settings.token(), admin, status);
        return Http.get(system).newServerAt(settings.bind(), settings.port()).bind(routes.routes());
    }

    /** Binds the API including the fail2ban routes. */
    public static CompletionStage<ServerBinding> start(ActorSystem<?> system, ManagementSettings settings,
                                                       DirectoryAdmin admin, NodeStatusSource status, BanRoutes bans) {
        ManagementRoutes routes = new ManagementRoutes(settings.token(), admin, status, bans);
        return Http.get(system).newServerAt(settings.bind(), settings.port()).bind(routes.routes());
    }

    /** Binds the API including the fail2ban and queue routes. */
    public static CompletionStage<ServerBinding> start(ActorSystem<?> system, ManagementSettings settings,
                                                       DirectoryAdmin admin, NodeStatusSource status, BanRoutes bans,
                                                       QueueRoutes queue) {
        ManagementRoutes routes = new ManagementRoutes(settings.token(), admin, status, bans, queue);
        return Http.get(system).newServerAt(settings.bind(), settings.port()).bind(routes.routes());
    }

    /** Binds the API including the fail2ban, queue and session routes. */
    public static CompletionStage<ServerBinding> start(ActorSystem<?> system, ManagementSettings settings,
                                                       DirectoryAdmin admin, NodeStatusSource status, BanRoutes bans,
                                                       QueueRoutes queue, SessionRoutes sessions) {
        ManagementRoutes routes = new ManagementRoutes(settings.token(), admin, status, bans, queue, sessions);
        return Http.get(system).newServerAt(settings.bind(), settings.port()).bind(routes.routes());
    }

    /** Binds the API including the fail2ban, queue, session, blob collection, backup and metrics routes. */
    public static CompletionStage<ServerBinding> start(ActorSystem<?> system, ManagementSettings settings,
                                                       DirectoryAdmin admin, NodeStatusSource status, BanRoutes bans,
                                                       QueueRoutes queue, SessionRoutes sessions, BlobRoutes blobs,
                                                       BackupRoutes backup, MetricsRoutes metrics) {
        ManagementRoutes routes = new ManagementRoutes(settings.token(), admin, status, bans, queue, sessions, blobs)
                .withBackup(backup).withMetrics(metrics);
        return Http.get(system).newServerAt(settings.bind(), settings.port()).bind(routes.routes());
    }
}
