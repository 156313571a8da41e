package io.mailfleet.server.web;

import io.mailfleet.server.config.LoadedConfig;
import io.mailfleet.server.config.WebSettings;
import org.apache.pekko.http.javadsl.server.Route;

import java.time.Clock;

/** Builds the web UI's routes from the node's configuration, or none when {@code mailfleet.web.enabled} is off. */
public final class WebUi {

    private WebUi() {
    }

    /**
     * The routes of {@code /ui}, null when the UI is off.
     *
     * @param apiToken the node's resolved API token: the {@code admin} password and the cookie signing key's seed
     */
    public static Route routes(LoadedConfig loaded, String apiToken, WebUiRoutes.Services services) {
        WebSettings web = WebSettings.of(loaded);
        if (!web.enabled()) {
            return null;
        }
        SessionCookies cookies = new SessionCookies(apiToken, web.sessionLifetime(), Clock.systemUTC());
        WebLogin login = new WebLogin(apiToken, web.adminAccounts(), services.authenticator(), services.bans(),
                loaded.settings().login().policy().failureDelay());
        return new WebUiRoutes(cookies, login, services).routes();
    }
}
