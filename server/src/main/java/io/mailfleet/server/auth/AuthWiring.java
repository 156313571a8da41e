package io.mailfleet.server.auth;

import io.mailfleet.core.ban.BanService;
import io.mailfleet.core.service.Authenticator;
import io.mailfleet.core.service.DirectoryService;
import io.mailfleet.server.auth.oauth.OAuth2Wiring;
import io.mailfleet.server.config.LoadedConfig;
import io.mailfleet.server.config.MasterUserSettings;
import io.mailfleet.server.config.OAuth2Settings;
import io.mailfleet.server.config.Settings;
import io.mailfleet.server.outbound.RelayFiles;

import java.nio.file.Path;
import java.util.concurrent.Executor;

/** Builds the authenticator every listener uses: account passwords, master users and OAuth2 tokens. */
public final class AuthWiring {

    private AuthWiring() {
    }

    /** Where {@code dovecot-masters.cf} lives: the docker-mailserver config directory, else {@code <data-dir>/config}. */
    public static Path masterUsersFile(Settings s) {
        return RelayFiles.configDir(s.dmsConfigDir(), s.dataDir()).resolve(MasterUsersFile.FILE_NAME);
    }

    /** The node's authenticator over the account authenticator {@code accounts}. */
    public static Authenticator authenticator(LoadedConfig loaded, Authenticator accounts, DirectoryService directory,
                                              Executor executor, BanService bans) {
        Settings s = loaded.settings();
        Authenticator passwords = new MasterUserAuthenticator(accounts, new MasterUsersFile(masterUsersFile(s)),
                directory, executor, bans, MasterUserSettings.of(loaded).smtpAllowed());
        return new NodeAuthenticator(passwords, OAuth2Wiring.tokens(OAuth2Settings.of(loaded), directory, executor, bans));
    }
}
