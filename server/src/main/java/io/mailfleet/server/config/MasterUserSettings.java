package io.mailfleet.server.config;

import java.util.Map;

/**
 * {@code mailfleet.auth}: whether master users ({@code dovecot-masters.cf}) may also log in on SMTP
 * submission as the user ({@code master-users-smtp}); off by default, as in docker-mailserver, where
 * master logins are a Dovecot (IMAP, POP3, ManageSieve) feature.
 */
public record MasterUserSettings(boolean smtpAllowed) {

    static MasterUserSettings read(ValueReader r) {
        return new MasterUserSettings(r.bool("mailfleet.auth.master-users-smtp"));
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static MasterUserSettings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }
}
