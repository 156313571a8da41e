package io.mailfleet.server.ldap;

import com.unboundid.ldap.sdk.LDAPException;
import io.mailfleet.core.ban.BanService;
import io.mailfleet.core.directory.ResolverOptions;
import io.mailfleet.core.service.DirectoryService;
import io.mailfleet.server.config.LdapSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Everything {@code ACCOUNT_PROVISIONER=LDAP} starts on a node: the connection pools (one per distinct
 * server and bind: Postfix look-ups, Dovecot logins, saslauthd), the bounded executor every LDAP call
 * runs on (a full queue answers "unavailable" rather than piling up work), the directory and the
 * authenticator.
 */
public final class LdapWiring implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.ldap");

    private final LdapSettings settings;
    private final ThreadPoolExecutor executor;
    private final List<LdapConnections> pools = new ArrayList<>();
    private final LdapSearches lookups;
    private final LdapSearches logins;
    private final LdapSearches smtpLogins;

    public LdapWiring(LdapSettings settings) throws LDAPException {
        this.settings = settings;
        int threads = settings.connections() * 2;
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024), r -> {
            Thread t = new Thread(r, "mailfleet-ldap");
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
        try {
            this.lookups = searches(settings.lookups());
            this.logins = searches(settings.logins().endpoint());
            this.smtpLogins = searches(settings.smtpLogins().endpoint());
        } catch (LDAPException | RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("accounts from LDAP: look-ups at {}, logins at {}{}; answers cached {} per node", settings.lookups(),
                settings.logins().endpoint(), settings.logins().authBind() ? " (auth bind)" : "", settings.cacheTtl());
    }

    private LdapSearches searches(LdapEndpoint endpoint) throws LDAPException {
        for (LdapConnections c : pools) {
            if (c.endpoint().equals(endpoint)) {
                return new LdapSearches(c, executor, settings.timeout());
            }
        }
        LdapConnections c = new LdapConnections(endpoint, settings.timeout(), settings.connections());
        pools.add(c);
        return new LdapSearches(c, executor, settings.timeout());
    }

    /** The LDAP directory over the node's own one. */
    public LdapDirectory directory(DirectoryService base, ResolverOptions options) {
        return new LdapDirectory(base, lookups, LdapDirectory.filters(settings.userFilter(), settings.aliasFilter(),
                settings.groupFilter(), settings.domainFilter(), settings.sendersFilter()), settings.resultAttribute(),
                options, new LookupCache<>(settings.cacheTtl(), settings.cacheSize()));
    }

    /** The authenticator; {@code bans} may be null. */
    public LdapAuthenticator authenticator(BanService bans) {
        LdapPasswordCheck dovecot = new LdapPasswordCheck(settings.logins(), logins, settings.cacheTtl(), settings.cacheSize());
        LdapPasswordCheck smtp = settings.smtpLogins() == settings.logins() ? dovecot
                : new LdapPasswordCheck(settings.smtpLogins(), smtpLogins, settings.cacheTtl(), settings.cacheSize());
        return new LdapAuthenticator(dovecot, smtp, bans);
    }

    @Override
    public void close() {
        pools.forEach(LdapConnections::close);
        executor.shutdownNow();
    }
}
