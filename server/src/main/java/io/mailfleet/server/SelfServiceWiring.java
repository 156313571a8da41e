package io.mailfleet.server;

import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.auth.Scheme;
import io.mailfleet.core.ban.BanService;
import io.mailfleet.core.service.AppPasswordStore;
import io.mailfleet.core.service.Authenticator;
import io.mailfleet.server.admin.AppPasswordAdmin;
import io.mailfleet.server.api.AppPasswordRoutes;
import io.mailfleet.server.api.SelfServiceRoutes;
import io.mailfleet.server.config.Settings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.server.Route;

/** The self-service routes ({@code /api/v1/self}) of the client HTTP listener, on the node's services. */
final class SelfServiceWiring {

    private SelfServiceWiring() {
    }

    static Route routes(ActorSystem<?> system, Settings s, OperatorEndpoints.Started endpoints, Authenticator authenticator,
                        BanService bans, AppPasswordStore appPasswords) {
        Scheme scheme = Scheme.byName(s.passwordScheme()).orElse(Scheme.SHA512_CRYPT);
        AppPasswordAdmin admin = new AppPasswordAdmin(appPasswords, endpoints.adminDirectory(),
                pw -> PasswordSchemes.hash(pw, scheme), system.dispatchers().lookup(DispatcherSelector.blocking()));
        return new SelfServiceRoutes(authenticator, bans, endpoints.admin(), new AppPasswordRoutes(admin),
                s.login().policy().failureDelay(), system).routes();
    }
}
