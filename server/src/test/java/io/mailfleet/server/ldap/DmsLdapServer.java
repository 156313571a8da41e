package io.mailfleet.server.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;

import com.unboundid.ldap.listener.Base64PasswordEncoderOutputFormatter;
import com.unboundid.ldap.listener.SaltedMessageDigestInMemoryPasswordEncoder;

import java.io.InputStream;
import java.security.MessageDigest;
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
        this(null);
    }

    /** With {@code tls}: StartTLS on the {@code ldap} listener and a second, {@code ldaps} listener. */
    DmsLdapServer(javax.net.ssl.SSLContext tls) throws Exception {
        InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig(BASE);
        cfg.addAdditionalBindCredentials(ADMIN_DN, ADMIN_PW);
        cfg.setSchema(null);
        // binds as a user check userPassword's {SSHA}/{SSHA512} values, as slapd does; no primary encoder,
        // so a value without prefix is stored as it is (the DOVECOT_DEFAULT_PASS_SCHEME case)
        cfg.setPasswordEncoders(null,
                new SaltedMessageDigestInMemoryPasswordEncoder("{SSHA}", Base64PasswordEncoderOutputFormatter.getInstance(),
                        MessageDigest.getInstance("SHA-1"), 8, true, true),
                new SaltedMessageDigestInMemoryPasswordEncoder("{SSHA512}",
                        Base64PasswordEncoderOutputFormatter.getInstance(), MessageDigest.getInstance("SHA-512"), 16,
                        true, true));
        InetAddress loopback = InetAddress.getLoopbackAddress();
        if (tls == null) {
            cfg.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", loopback, 0, null));
        } else {
            cfg.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", loopback, 0, tls.getSocketFactory()),
                    InMemoryListenerConfig.createLDAPSConfig("ldaps", loopback, 0, tls.getServerSocketFactory(), null));
        }
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
        return server.getListenPort("ldap");
    }

    int ldapsPort() {
        return server.getListenPort("ldaps");
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
