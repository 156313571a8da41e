package io.mailfleet.server.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;

import java.io.InputStream;
import java.net.InetAddress;

/**
 * A real LDAP server for tests: UnboundID's in-memory directory on 127.0.0.1 (a free port), loaded
 * with {@code ldap/dms-users.ldif} (docker-mailserver's test layout: PostfixBook attributes under
 * ou=users,dc=example,dc=test) and a service account {@code cn=admin,dc=example,dc=test} / {@code admin}.
 * Schema checking is off because the PostfixBook schema is not among the server's standard ones.
 */
final class DmsLdapServer implements AutoCloseable {

    static final String BASE = "dc=example,dc=test";
    static final String ADMIN_DN = "cn=admin," + BASE;
    static final String ADMIN_PW = "admin";

    private final InMemoryDirectoryServer server;

    DmsLdapServer() throws Exception {
        InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig(BASE);
        cfg.addAdditionalBindCredentials(ADMIN_DN, ADMIN_PW);
        cfg.setSchema(null);
        cfg.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0,
                null));
        server = new InMemoryDirectoryServer(cfg);
        try (InputStream in = DmsLdapServer.class.getResourceAsStream("/ldap/dms-users.ldif")) {
            server.importFromLDIF(true, new com.unboundid.ldif.LDIFReader(in));
        }
        server.startListening();
    }

    InMemoryDirectoryServer server() {
        return server;
    }

    int port() {
        return server.getListenPort();
    }

    String uri() {
        return "ldap://127.0.0.1:" + port();
    }

    /** Stops answering: every connection is closed and the port no longer listens. */
    void stop() {
        server.shutDown(true);
    }

    @Override
    public void close() {
        server.shutDown(true);
    }
}
