package io.mailfleet.server.autoconfig;

import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.server.MailListeners;
import io.mailfleet.server.config.AutoconfigSettings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The optional client HTTP listener ({@code mailfleet.autoconfig}): auto-configuration and the users'
 * self-service routes. Separate from the management API, which stays on loopback, because mail clients
 * and their users must reach it. Started after the mail listeners, so what it describes is what runs.
 */
public final class AutoconfigServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AutoconfigServer.class);

    private final ServerBinding binding;

    private AutoconfigServer(ServerBinding binding) {
        this.binding = binding;
    }

    /** Binds the listener when enabled; null when it is off. */
    public static AutoconfigServer start(ActorSystem<?> system, AutoconfigSettings settings, String hostname,
                                         MailListeners listeners, boolean tls, Supplier<DirectoryView> directory,
                                         Route selfService) throws Exception {
        if (!settings.enabled()) {
            return null;
        }
        ClientEndpoints endpoints = ClientEndpoints.of(hostname, listeners, tls);
        // the remote address attribute: the self-service logins count toward that address's ban
        ServerBinding b = Http.get(system).newServerAt(settings.bind(), settings.port())
                .adaptSettings(st -> st.withRemoteAddressAttribute(true))
                .bind(new AutoconfigRoutes(endpoints, directory).routes().orElse(selfService))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.info("client HTTP on http://{}:{} (autoconfig, Autodiscover, Apple profile, /api/v1/self): {}",
                settings.bind(), b.localAddress().getPort(), endpoints.all());
        return new AutoconfigServer(b);
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
