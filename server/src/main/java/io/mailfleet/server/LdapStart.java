package io.mailfleet.server;

import io.mailfleet.core.directory.ResolverOptions;
import io.mailfleet.core.service.DirectoryService;
import io.mailfleet.server.config.LdapSettings;
import io.mailfleet.server.config.LoadedConfig;
import io.mailfleet.server.ldap.LdapWiring;

import java.util.List;
import java.util.function.UnaryOperator;

/** {@code ACCOUNT_PROVISIONER=LDAP} at node start: the wiring when configured, and the directory layer it puts on the node. */
final class LdapStart {

    private LdapStart() {
    }

    /** The LDAP wiring (registered in {@code closeables}), or null with file accounts. */
    static LdapWiring wiring(LoadedConfig loaded, List<AutoCloseable> closeables) throws Exception {
        LdapSettings settings = LdapSettings.of(loaded);
        if (!settings.enabled()) {
            return null;
        }
        LdapWiring wiring = new LdapWiring(settings);
        closeables.add(wiring);
        return wiring;
    }

    static UnaryOperator<DirectoryService> layer(LdapWiring ldap, ResolverOptions resolver) {
        return ldap == null ? UnaryOperator.identity() : base -> ldap.directory(base, resolver);
    }
}
