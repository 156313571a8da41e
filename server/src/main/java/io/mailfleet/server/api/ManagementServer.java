package io.mailfleet.server.api;

import io.mailfleet.server.admin.DirectoryAdmin;
import io.mailfleet.server.config.ManagementSettings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;

import java.util.concurrent.CompletionStage;

/** Starts the management HTTP API on {@link ManagementSettings#bind()}:{@link ManagementSettings#port()}. */
public final class ManagementServer {

    /** The longest a request may take: an import or export of a whole account (their routes' timeout). */
    static final java.time.Duration LONGEST_REQUEST = java.time.Duration.ofHours(12);

    private ManagementServer() {
    }

    /**
     * Binds the API. {@code settings.token()} must already be resolved (see
     * {@link io.mailfleet.server.config.ApiTokenFile#resolve}); the binding fails when the port is taken.
     */
    public static CompletionStage<ServerBinding> start(ActorSystem<?> system, ManagementSettings settings,
                                                       DirectoryAdmin admin, NodeStatusSource status) {
        return start(system, settings, new ManagementRoutes(settings.token(), admin, status));
    }

    /** Binds the given routes (built with the node's token, see {@link ManagementRoutes}). */
    public static CompletionStage<ServerBinding> start(ActorSystem<?> system, ManagementSettings settings,
                                                       ManagementRoutes routes) {
        return start(system, settings, routes, null);
    }

    /**
     * Binds the API with {@code before} (the web UI, may be null) tried first. The listener records each
     * connection's peer address, which the web UI's login hands to the ban list.
     */
    public static CompletionStage<ServerBinding> start(ActorSystem<?> system, ManagementSettings settings,
                                                       ManagementRoutes routes, Route before) {
        Route all = before == null ? routes.routes() : routes.concat(before, routes.routes());
        // An import or export answers once it is done, which for years of mail takes longer than Pekko's
        // default idle timeout (60 s) of a connection that sends nothing meanwhile: allow what those
        // routes allow for the request (12 h).
        return Http.get(system).newServerAt(settings.bind(), settings.port())
                .adaptSettings(s -> s.withRemoteAddressAttribute(true)
                        .withTimeouts(s.getTimeouts().withIdleTimeout(scala.concurrent.duration.Duration.create(
                                LONGEST_REQUEST.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))))
                .bind(all);
    }
}
